package main

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPServerTimeouts: the sse/http server bounds header size and read
// time and closes idle keep-alive connections; it sets no server-wide
// ReadTimeout/WriteTimeout, which would cut long-lived streams (bodies and
// writes have their own per-request deadlines: limitBody, --write-timeout).
func TestHTTPServerTimeouts(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	assert.Equal(t, 10*time.Second, srv.ReadHeaderTimeout)
	assert.Equal(t, 2*time.Minute, srv.IdleTimeout)
	assert.Equal(t, 64<<10, srv.MaxHeaderBytes)
	assert.Zero(t, srv.ReadTimeout, "streams must not be cut")
	assert.Zero(t, srv.WriteTimeout, "streams must not be cut")

	// The header deadline is effective: a client that never finishes its
	// headers (slowloris) is disconnected.
	srv.ReadHeaderTimeout = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	start := time.Now()
	_, err = io.ReadAll(conn) // ends when the server closes the connection
	require.NoError(t, err, "the server closed the connection (not our 5s deadline)")
	assert.Less(t, time.Since(start), 3*time.Second)
}

// TestWriteDeadline: a client that stops reading cannot hold a handler:
// every write must complete within the write timeout.
func TestWriteDeadline(t *testing.T) {
	writeErr := make(chan error, 1)
	h := withWriteDeadlines(200*time.Millisecond, slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range 1024 { // up to 1 GiB: far more than the socket buffers hold
			if _, err := w.Write(chunk); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	}))
	srv := &http.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
	require.NoError(t, err)
	// Never read the answer.
	select {
	case err := <-writeErr:
		require.Error(t, err, "the stalled write failed")
		var ne net.Error
		assert.ErrorAs(t, err, &ne)
	case <-time.After(10 * time.Second):
		t.Fatal("a write to a stalled client was not bounded")
	}
}
