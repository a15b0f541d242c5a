// Command baseline is the trivial Go process that okta-mcp's cold start and
// idle memory are compared with (cmd/okta-mcp-load/perf.sh builds it as
// bin/okta-mcp-baseline): it answers every JSON-RPC request line on stdin
// with a minimal initialize result, using nothing but the standard library's
// bufio and os, until stdin closes.
package main

import (
	"bufio"
	"bytes"
	"os"
)

func main() {
	r := bufio.NewReader(os.Stdin)
	w := bufio.NewWriter(os.Stdout)
	for {
		line, err := r.ReadBytes('\n')
		if id := requestID(line); id != nil {
			w.WriteString(`{"jsonrpc":"2.0","id":`)
			w.Write(id)
			w.WriteString(`,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"baseline","version":"1"}}}` + "\n")
			w.Flush()
		}
		if err != nil {
			return
		}
	}
}

// requestID returns the numeric id of a request line, nil for notifications.
func requestID(line []byte) []byte {
	_, rest, ok := bytes.Cut(line, []byte(`"id":`))
	if !ok {
		return nil
	}
	rest = bytes.TrimLeft(rest, " ")
	end := bytes.IndexAny(rest, ",}")
	if end <= 0 {
		return nil
	}
	return bytes.TrimSpace(rest[:end])
}
