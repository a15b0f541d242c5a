package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
)

// responseIDFilter drops, from what a stdio client sends, JSON-RPC responses
// whose id is not a number. okta-mcp numbers the requests it sends (the
// elicitation/create of a confirmation), and mcp-go's stdio transport would
// match a response with the string id "2" to its request 2: an answer must
// carry the very id of the question. Requests and notifications pass
// untouched; only lines without "method" are looked into.
type responseIDFilter struct {
	r      *bufio.Reader
	logger *slog.Logger
	buf    []byte
	err    error
}

func newResponseIDFilter(r io.Reader, logger *slog.Logger) io.Reader {
	return &responseIDFilter{r: bufio.NewReaderSize(r, 64<<10), logger: logger}
}

func (f *responseIDFilter) Read(p []byte) (int, error) {
	for len(f.buf) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, err := f.r.ReadBytes('\n')
		f.err = err
		if len(line) > 0 && f.keep(line) {
			f.buf = line
		}
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}

// keep reports whether line goes on to the MCP server.
func (f *responseIDFilter) keep(line []byte) bool {
	if bytes.Contains(line, []byte(`"method"`)) {
		return true
	}
	var m struct {
		ID     json.RawMessage `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(line, &m) != nil || (m.Result == nil && m.Error == nil) {
		return true
	}
	id := bytes.TrimSpace(m.ID)
	if len(id) > 0 && (id[0] == '-' || id[0] >= '0' && id[0] <= '9') {
		return true
	}
	f.logger.Warn("ignored a response from the client whose id is not a number (okta-mcp's requests have numeric ids)", "id", string(shortBytes(id, 40)))
	return false
}

func shortBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
