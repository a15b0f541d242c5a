package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
// the JSON document raw, at any depth. Invalid JSON is left to the decoder
// that follows.
func duplicateKey(raw []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	key, err := scanValue(dec)
	if errors.Is(err, errDuplicate) {
		return key, true
	}
	return "", false
}

var errDuplicate = errors.New("duplicate key")

// maxKeyDepth bounds the nesting scanned (deeper documents are refused by
// the argument decoder anyway).
const maxKeyDepth = 64

func scanValue(dec *json.Decoder) (string, error) {
	return scanAt(dec, 0)
}

func scanAt(dec *json.Decoder, depth int) (string, error) {
	if depth > maxKeyDepth {
		return "", io.EOF
	}
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return "", nil
	}
	switch d {
	case '{':
		seen := map[string]struct{}{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return "", err
			}
			k, _ := kt.(string)
			if _, dup := seen[k]; dup {
				return k, errDuplicate
			}
			seen[k] = struct{}{}
			if key, err := scanAt(dec, depth+1); err != nil {
				return key, err
			}
		}
	case '[':
		for dec.More() {
			if key, err := scanAt(dec, depth+1); err != nil {
				return key, err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return "", err
}
