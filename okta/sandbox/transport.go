package sandbox

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"syscall"
)

// ErrConnectionDropped is the error (wrapped) that a Transport round trip
// returns when an injected fault drops the connection. It also matches
// syscall.ECONNRESET with errors.Is.
var ErrConnectionDropped = errors.New("sandbox: connection dropped by injected fault")

type dropError struct{ afterProcessing bool }

func (e *dropError) Error() string {
	if e.afterProcessing {
		return "sandbox: connection reset by peer after the request was processed (injected fault)"
	}
	return "sandbox: connection reset by peer (injected fault)"
}

func (e *dropError) Unwrap() []error { return []error{ErrConnectionDropped, syscall.ECONNRESET} }

// Timeout and Temporary make the error look like a network error.
func (e *dropError) Timeout() bool   { return false }
func (e *dropError) Temporary() bool { return false }

// Transport returns an http.RoundTripper that serves requests from the org
// in process, whatever their host: no network is involved. Use it as
// http.Client.Transport with DemoOrgURL (or any https URL) as the org URL.
// It honours the request's context and the org's faults (a dropped
// connection is an error wrapping ErrConnectionDropped).
func (o *Org) Transport() http.RoundTripper { return transport{o} }

type transport struct{ o *Org }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if req.URL == nil {
		closeBody(req)
		return nil, errors.New("sandbox: nil Request.URL")
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		closeBody(req)
		if err != nil {
			return nil, fmt.Errorf("sandbox: reading request body: %w", err)
		}
		body = b
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// The request as a server would see it from Go's client on the wire.
	sreq := req.Clone(ctx)
	sreq.Body = io.NopCloser(bytes.NewReader(body))
	sreq.ContentLength = int64(len(body))
	sreq.Header = req.Header.Clone()
	if sreq.Header == nil {
		sreq.Header = make(http.Header)
	}
	if len(body) > 0 || req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch {
		sreq.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "in-process:0"
	if req.URL.Scheme == "https" {
		sreq.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}

	w := &transportWriter{header: make(http.Header)}
	t.o.serve(w, sreq)
	if w.dropped {
		return nil, &dropError{afterProcessing: w.afterProcessing}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	b := w.buf.Bytes()
	resp := &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(bytes.NewReader(b)),
		ContentLength: int64(len(b)),
		Request:       req,
	}
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
	}
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// transportWriter collects the answer of an in-process request.
type transportWriter struct {
	header          http.Header
	status          int
	buf             bytes.Buffer
	dropped         bool
	afterProcessing bool
}

func (w *transportWriter) Header() http.Header { return w.header }

func (w *transportWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *transportWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(p)
}
