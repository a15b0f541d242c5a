package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
)

// noSubscriptionStreams answers a subscriptions/listen request of protocol
// 2026-07-28 with -32601 (method not found, HTTP 404, as mcp-go answers an
// unknown method) instead of passing it to mcp-go.
//
// okta-mcp declares nothing a listen stream could deliver (no listChanged,
// no resource subscriptions), and the specification's conformance suite
// accepts -32601 from such a server. mcp-go would answer with an empty
// stream whose acknowledgement races the result: in about one request in
// five the result was written first and the acknowledgement lost.
// Requests of earlier protocol versions pass through (mcp-go answers
// -32601 for them itself). The body is already buffered (limitBody).
func noSubscriptionStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		var msg struct {
			Method string          `json:"method"`
			ID     json.RawMessage `json:"id"`
		}
		if json.Unmarshal(body, &msg) != nil || msg.Method != string(mcp.MethodSubscriptionsListen) || len(msg.ID) == 0 || string(msg.ID) == "null" {
			next.ServeHTTP(w, r)
			return
		}
		out, _ := json.Marshal(map[string]any{
			"jsonrpc": mcp.JSONRPC_VERSION,
			"id":      msg.ID,
			"error": map[string]any{
				"code":    mcp.METHOD_NOT_FOUND,
				"message": "Method subscriptions/listen not found: okta-mcp sends no list-changed or resource notifications, so there is nothing to subscribe to",
			},
		})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(append(out, '\n'))
	})
}
