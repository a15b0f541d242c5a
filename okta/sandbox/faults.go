package sandbox

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Drop says whether and when an injected fault drops the connection.
type Drop int

const (
	// NoDrop answers normally.
	NoDrop Drop = iota
	// DropBeforeProcessing closes the connection without handling the
	// request: nothing changes in the org.
	DropBeforeProcessing
	// DropAfterProcessing handles the request (a create creates, a delete
	// deletes) and then closes the connection without an answer, so the
	// client cannot know the outcome.
	DropAfterProcessing
)

// Fault is a failure injected into matching requests. Faults are Go-only:
// nothing in the HTTP API can set them. The first fault in the list that
// matches a request (and fires, see Probability) applies to it; the others
// are not consulted.
//
// The order of effects is: Delay, then Drop (DropBeforeProcessing) or
// Status, else the request is handled, then ResponseDelay, then Drop
// (DropAfterProcessing). Delays use real time and end early when the
// request's context is done (for a Transport request the round trip then
// returns the context's error; the change, if it was already made, stays).
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the request path as a path.Match pattern, e.g.
	// "/api/v1/users", "/api/v1/users/*" or "/api/v1/users/*/lifecycle/*";
	// "" matches any path.
	Path string
	// Times is how many requests the fault affects before it is used up;
	// 0 means every matching request until the faults are changed.
	Times int
	// Probability is the chance in (0, 1) that a matching request is
	// affected; 0 (or >= 1) means always. Randomness comes from
	// Options.FaultSeed, so runs are reproducible.
	Probability float64

	// Delay holds the request before anything else happens (latency).
	Delay time.Duration
	// Status answers with this HTTP status and an Okta error body instead
	// of handling the request (e.g. 500, 502, 503, 504; 429 answers
	// E0000047 with X-Rate-Limit-Remaining: 0, a forced rate-limit storm).
	Status int
	// Drop drops the connection before or after handling the request.
	Drop Drop
	// ResponseDelay holds the answer after the request was handled (a slow
	// response: past the client's timeout the change is made, but the
	// client does not learn it).
	ResponseDelay time.Duration
}

func (f *Fault) describe() string {
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "delay "+f.Delay.String())
	}
	if f.Status != 0 {
		parts = append(parts, fmt.Sprintf("status %d", f.Status))
	}
	switch f.Drop {
	case DropBeforeProcessing:
		parts = append(parts, "drop before processing")
	case DropAfterProcessing:
		parts = append(parts, "drop after processing")
	}
	if f.ResponseDelay > 0 {
		parts = append(parts, "response delay "+f.ResponseDelay.String())
	}
	return strings.Join(parts, ", ")
}

func (f *Fault) matches(method, p string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Path != "" {
		ok, err := path.Match(f.Path, p)
		if err != nil || !ok {
			return false
		}
	}
	return true
}

type faultSet struct {
	mu     sync.Mutex
	faults []*activeFault
	rng    *rand.Rand
}

type activeFault struct {
	Fault
	left int // remaining uses when Times > 0
}

func newFaultSet(seed uint64, faults []Fault) *faultSet {
	s := &faultSet{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	s.set(faults)
	return s
}

func (s *faultSet) set(faults []Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = s.faults[:0]
	for _, f := range faults {
		s.faults = append(s.faults, &activeFault{Fault: f, left: f.Times})
	}
}

func (s *faultSet) add(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f, left: f.Times})
}

// match returns the fault that applies to a request, if any, and uses it.
func (s *faultSet) match(method, p string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !f.matches(method, p) {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && s.rng.Float64() >= f.Probability {
			continue
		}
		out := f.Fault
		if f.Times > 0 {
			f.left--
			if f.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &out
	}
	return nil
}

func (s *faultSet) pending() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		g := f.Fault
		if g.Times > 0 {
			g.Times = f.left
		}
		out = append(out, g)
	}
	return out
}

// SetFaults replaces the org's injected faults (none: no faults).
func (o *Org) SetFaults(faults ...Fault) { o.faults.set(faults) }

// AddFault appends a fault after the existing ones.
func (o *Org) AddFault(f Fault) { o.faults.add(f) }

// Faults returns the faults not used up yet; Times holds the uses left.
func (o *Org) Faults() []Fault { return o.faults.pending() }

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter, afterProcessing bool) {
	if tw, ok := w.(*transportWriter); ok {
		tw.dropped = true
		tw.afterProcessing = afterProcessing
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 and other writers: net/http aborts the stream/connection.
	panic(http.ErrAbortHandler)
}
