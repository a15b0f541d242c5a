package tools

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// BenchmarkDuplicateKey measures the duplicate-key check on a typical
// tools/call message (it runs on every request), against the baseline of
// the decoding mcp-go does of the same message anyway.
func BenchmarkDuplicateKey(b *testing.B) {
	msg := []byte(`{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"okta_list_users","arguments":{"search":"profile.department eq \"Engineering\" and status eq \"ACTIVE\"","limit":20},"_meta":{"progressToken":7}}}`)
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, dup := duplicateKey(msg); dup {
				b.Fatal("no duplicate expected")
			}
		}
	})
	b.Run("baseline: decode as mcp-go does", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req mcp.CallToolRequest
			if err := json.Unmarshal(msg, &req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
