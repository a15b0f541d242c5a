package main

import (
	"log/slog"
	"net/http"
	"time"
)

// responseWriter bounds every write to the client by a deadline that is
// renewed before each write, so that a stalled client cannot block a handler
// forever while long-lived streams (SSE, streamable HTTP GET) are never cut
// off by a fixed server-wide WriteTimeout. It also records the status for the
// request log.
type responseWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	status  int
	written int64
}

func (w *responseWriter) renew() { _ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout)) }

func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.renew()
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

// Flush implements http.Flusher, which the SSE handlers require.
func (w *responseWriter) Flush() {
	w.renew()
	_ = w.rc.Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withWriteDeadlines wraps every response in a responseWriter and logs each
// request at debug level: method, path (no query: it may carry a session id),
// status, duration. Headers are never logged: they may carry tokens.
func withWriteDeadlines(timeout time.Duration, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &responseWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: timeout}
		rw.renew() // clear any deadline left by an earlier request on this connection
		start := time.Now()
		defer func() {
			rw.renew() // let net/http finish the response after a long quiet stream
			logger.Debug("http request", "method", r.Method, "path", r.URL.Path, "status", rw.status,
				"bytes", rw.written, "duration", time.Since(start).Round(time.Microsecond), "remote", r.RemoteAddr)
		}()
		next.ServeHTTP(rw, r)
	})
}
