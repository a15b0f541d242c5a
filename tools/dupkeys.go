package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/server"
)

// Go's JSON decoding keeps the last of duplicate keys, other parsers the
// first: {"name":"okta_get_user","name":"okta_delete_user"} could be shown
// (or checked) as one call and run as another. Requests with a duplicate
// key anywhere (method, params, name, arguments, ...) are refused.

// refuseDuplicateKeys adds the hook that refuses such requests before they
// are dispatched (JSON-RPC error -32600, nothing run).
func refuseDuplicateKeys(h *server.Hooks) {
	h.AddOnRequestInitialization(func(_ context.Context, _ any, message any) error {
		raw, ok := message.(json.RawMessage)
		if !ok {
			return nil
		}
		if key, dup := duplicateKey(raw); dup {
			return fmt.Errorf("the request has the key %q more than once in one object; send each key once", key)
		}
		return nil
	})
}

// duplicateKey reports the first key that appears twice in one object of
// the JSON document raw, at any depth (keys compared after unescaping). It
// scans the bytes once, without decoding values; invalid JSON is left to
// the decoder that follows.
func duplicateKey(raw []byte) (string, bool) {
	type frame struct {
		obj       bool
		expectKey bool
		keys      [][]byte
	}
	var stack []frame
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			stack = append(stack, frame{obj: true, expectKey: true})
		case '[':
			stack = append(stack, frame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].obj {
				stack[n-1].expectKey = true
			}
		case '"':
			j, escaped := i+1, false
			for ; j < len(raw) && raw[j] != '"'; j++ {
				if raw[j] == '\\' {
					escaped = true
					j++
				} else if raw[j] >= 0x80 {
					escaped = true // decode: invalid UTF-8 becomes U+FFFD
				}
			}
			if j >= len(raw) {
				return "", false
			}
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].expectKey {
				key := raw[i+1 : j]
				if escaped {
					var k string
					if json.Unmarshal(raw[i:j+1], &k) != nil {
						return "", false
					}
					key = []byte(k)
				}
				for _, seen := range stack[n-1].keys {
					if bytes.Equal(seen, key) {
						return string(key), true
					}
				}
				stack[n-1].keys = append(stack[n-1].keys, key)
				stack[n-1].expectKey = false
			}
			i = j
		}
	}
	return "", false
}
