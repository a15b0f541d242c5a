package okta

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"syscall"
)

// NetworkFailure says why a request got no answer from the org, so that
// callers can advise: configuration problems (the org URL, its scheme, a
// certificate) do not go away by retrying; the others may.
type NetworkFailure int

const (
	// NetUnknown is any other failure to get an answer (connection reset,
	// broken answer): transient.
	NetUnknown NetworkFailure = iota
	// NetHostNotFound: the org host does not resolve. Configuration.
	NetHostNotFound
	// NetTLSToPlainHTTP: https:// spoken to a server that answers in
	// plain HTTP. Configuration.
	NetTLSToPlainHTTP
	// NetPlainHTTPToTLS: http:// spoken to a server that speaks TLS.
	// Configuration.
	NetPlainHTTPToTLS
	// NetCertificate: the server's TLS certificate is not trusted for the
	// host. Configuration (or interception).
	NetCertificate
	// NetRefused: nothing accepts connections at the host and port.
	// Transient for a restarting server; configuration when it persists.
	NetRefused
	// NetTimeout: no answer in time, or the host could not be resolved in
	// time. Transient.
	NetTimeout
)

// Transient reports whether the failure may go away without anyone changing
// the configuration, so that retrying later makes sense.
func (f NetworkFailure) Transient() bool {
	switch f {
	case NetHostNotFound, NetTLSToPlainHTTP, NetPlainHTTPToTLS, NetCertificate:
		return false
	}
	return true
}

// NetworkError is a request that got no answer from the org. Use errors.As:
// the client's errors (and OutcomeUnknownError) wrap it.
type NetworkError struct {
	Failure NetworkFailure
	Host    string // the org host (and port, when not the default)
	Err     error  // the underlying error, without the URL
}

func (e *NetworkError) Error() string { return e.Err.Error() }

func (e *NetworkError) Unwrap() error { return e.Err }

// AsNetworkError returns err as a *NetworkError, if it is or wraps one.
func AsNetworkError(err error) (*NetworkError, bool) {
	var ne *NetworkError
	ok := errors.As(err, &ne)
	return ne, ok
}

// errPlainHTTPToTLS is the failure of an http:// request answered by a TLS
// server with its "you spoke HTTP to an HTTPS port" page.
var errPlainHTTPToTLS = errors.New("the server speaks HTTPS, but the org URL says http://")

// classifyNetError says why err (a transport error of net/http, URL already
// stripped) got no answer.
func classifyNetError(err error) NetworkFailure {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return NetHostNotFound
		}
		if dns.IsTimeout {
			return NetTimeout
		}
		return NetUnknown
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return NetCertificate
	}
	var rh tls.RecordHeaderError
	msg := err.Error()
	switch {
	case errors.Is(err, errPlainHTTPToTLS):
		return NetPlainHTTPToTLS
	case errors.As(err, &rh), strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return NetTLSToPlainHTTP
	case strings.Contains(msg, `malformed HTTP response "\x15\x03`), strings.Contains(msg, `malformed HTTP status code "\x03`):
		// A TLS alert record (0x15 0x03 ...) where an HTTP status line
		// was expected.
		return NetPlainHTTPToTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		return NetRefused
	}
	var t interface{ Timeout() bool }
	if errors.As(err, &t) && t.Timeout() {
		return NetTimeout
	}
	return NetUnknown
}

// plainHTTPToTLSPage reports whether a 400 answer to an http:// request is
// a TLS server's complaint that it was spoken to in plain HTTP (Go's, nginx's).
func plainHTTPToTLSPage(body []byte) bool {
	s := string(body)
	return strings.Contains(s, "HTTP request to an HTTPS server") || strings.Contains(s, "plain HTTP request was sent to HTTPS port")
}

func newNetworkError(host string, err error) *NetworkError {
	return &NetworkError{Failure: classifyNetError(err), Host: host, Err: err}
}
