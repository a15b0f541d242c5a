package main

import (
	"bufio"
	"encoding/json"
	"io"
)

// baselineStdio is the trivial-process baseline: it answers every request
// line with a minimal initialize result, with no MCP library, until stdin
// closes. Cold start and idle memory of okta-mcp are compared with it.
func baselineStdio(in io.Reader, out io.Writer) {
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			var m struct {
				ID json.RawMessage `json:"id"`
			}
			if json.Unmarshal(line, &m) == nil && len(m.ID) > 0 {
				_, _ = w.WriteString(`{"jsonrpc":"2.0","id":` + string(m.ID) +
					`,"result":{"protocolVersion":"` + protocolVersion +
					`","capabilities":{},"serverInfo":{"name":"baseline","version":"1"}}}` + "\n")
				_ = w.Flush()
			}
		}
		if err != nil {
			return
		}
	}
}
