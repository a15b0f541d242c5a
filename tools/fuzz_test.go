package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzToolCall sends arbitrary arguments to every tool through the MCP
// server (mcp-go's decoding, then argument validation, binding and the
// handler, against the in-memory org). No input may panic: a recovered
// panic would show in the answer or the logs.
func FuzzToolCall(f *testing.F) {
	e := newEnv(f)
	var names []string
	for _, info := range Catalog(Options{Toolsets: []string{ToolsetAll}}) {
		names = append(names, info.Name)
	}
	for i, seed := range []string{
		`{}`, `null`, `[]`, `"x"`, `1`,
		`{"userId":"ada.lovelace@example.com"}`,
		`{"userId":"00u75w1rvpXJRZYTDRkL","sendEmail":false}`,
		`{"userId":"..%2f..","groupId":"%252e%252e"}`,
		`{"limit":1e400,"after":"x"}`,
		`{"limit":200.0000000000000000001}`,
		`{"search":"profile.firstName eq \"A\"","filter":"status eq \"ACTIVE\""}`,
		`{"firstName":"A","lastName":"B","email":"a@b.example","password":"p","activate":true}`,
		`{"groupId":"00g1","name":"n","description":""}`,
		`{"apiKey":"k","domain":"evil.example"}`,
		`{"userId":"\u0000\ud800"}`,
	} {
		f.Add(uint8(i), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, args []byte) {
		name := names[int(which)%len(names)]
		var msg []byte
		if json.Valid(args) {
			msg = []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"` + name + `","arguments":` + string(args) + `}}`)
		} else {
			msg = append([]byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"`+name+`","arguments":`), args...)
		}
		resp := e.srv.HandleMessage(context.Background(), msg)
		if resp == nil {
			t.Fatal("no answer")
		}
		out, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(bytes.ToLower(out), []byte("panic")) {
			t.Fatalf("panic for %s %q: %s", name, args, out)
		}
		if strings.Contains(e.logs.String(), "tool panicked") {
			t.Fatalf("handler panicked for %s %q", name, args)
		}
	})
}
