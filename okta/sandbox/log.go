package sandbox

import (
	"strings"
	"sync"
	"time"
)

// RequestRecord is one request the org received.
type RequestRecord struct {
	Time      time.Time // by the org's clock
	Method    string
	Path      string // unescaped URL path
	Query     string // raw query
	Status    int    // HTTP status, or StatusDropped / StatusAborted
	RequestID string // X-Okta-Request-Id
	Fault     string // the injected fault that applied, if any
}

// requestLog is a ring of the most recent requests.
type requestLog struct {
	mu    sync.Mutex
	size  int
	recs  []RequestRecord
	next  int
	total int
}

func newRequestLog(size int) *requestLog {
	if size == 0 {
		size = 10000
	}
	return &requestLog{size: max(size, 0)}
}

func (l *requestLog) add(r RequestRecord) {
	if l.size == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total++
	if len(l.recs) < l.size {
		l.recs = append(l.recs, r)
		return
	}
	l.recs[l.next] = r
	l.next = (l.next + 1) % l.size
}

func (l *requestLog) snapshot() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]RequestRecord, 0, len(l.recs))
	out = append(out, l.recs[l.next:]...)
	return append(out, l.recs[:l.next]...)
}

// Requests returns the remembered requests, oldest first (see
// Options.RequestLogSize).
func (o *Org) Requests() []RequestRecord { return o.log.snapshot() }

// RequestCount counts the remembered requests with the given method (""
// = any) whose path starts with pathPrefix.
func (o *Org) RequestCount(method, pathPrefix string) int {
	o.log.mu.Lock()
	defer o.log.mu.Unlock()
	n := 0
	for _, r := range o.log.recs {
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the remembered requests.
func (o *Org) ResetRequests() {
	o.log.mu.Lock()
	defer o.log.mu.Unlock()
	o.log.recs, o.log.next = nil, 0
}
