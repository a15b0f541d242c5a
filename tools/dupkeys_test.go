package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9 finding 10: a tools/call whose JSON repeats a key ran the last
// one ({"name":"okta_get_user","name":"okta_delete_user"} deleted).
func TestDuplicateKeysAreRefused(t *testing.T) {
	e := newEnv(t)
	send := func(raw string) map[string]any {
		out, err := json.Marshal(e.srv.HandleMessage(context.Background(), json.RawMessage(raw)))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(out, &m))
		return m
	}
	for _, raw := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"okta_get_user","name":"okta_delete_user","arguments":{"userId":"` + adaLogin + `"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"okta_deactivate_user","arguments":{"userId":"nobody@example.com","userId":"` + adaLogin + `"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"x"}},"params":{"name":"okta_delete_user","arguments":{"userId":"` + adaLogin + `"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"okta_delete_user","arguments":{"userId":"` + adaLogin + `"}}}`,
	} {
		m := send(raw)
		require.NotNil(t, m["error"], "refused: %s", raw)
		assert.Contains(t, m["error"].(map[string]any)["message"], "more than once")
	}
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
	_, ok := e.org.LookupUser(adaLogin)
	assert.True(t, ok)

	m := send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"` + adaLogin + `","x":{"userId":1},"y":[{"a":1},{"a":2}]}}}`)
	assert.Nil(t, m["error"], "the same key in different objects is fine")
}

func TestDuplicateKey(t *testing.T) {
	for raw, want := range map[string]string{
		`{"a":1,"b":{"c":1,"c":2}}`: "c",
		`[{"a":1},{"b":1,"b":1}]`:   "b",
		`{"a":1,"a":1}`:             "a",
		`{"a":{"a":{"a":1}}}`:       "",
		`{"a":"{\"b\":1,\"b\":2}"}`: "",
		`{"a":1,"\u0061":2}`:        "a",
		`not json`:                  "",
		"{\"a\xff\":1,\"a\xfe\":2}": "a\uFFFD",
	} {
		k, dup := duplicateKey([]byte(raw))
		assert.Equal(t, want, k, raw)
		assert.Equal(t, want != "", dup, raw)
	}
}

// refDuplicateKey is the reference: encoding/json's tokenizer.
func refDuplicateKey(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var walk func() (bool, error)
	walk = func() (bool, error) {
		tok, err := dec.Token()
		if err != nil {
			return false, err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return false, nil
		}
		if d == '{' {
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return false, err
				}
				k, _ := kt.(string)
				if seen[k] {
					return true, nil
				}
				seen[k] = true
				if dup, err := walk(); dup || err != nil {
					return dup, err
				}
			}
		} else {
			for dec.More() {
				if dup, err := walk(); dup || err != nil {
					return dup, err
				}
			}
		}
		_, err = dec.Token()
		return false, err
	}
	dup, _ := walk()
	return dup
}

// FuzzDuplicateKey checks the byte scanner against encoding/json's
// tokenizer on every valid JSON document.
func FuzzDuplicateKey(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"a":2}`, `{"a":{"b":1},"b":{"b":2}}`, `[{"x":"\"","x":1}]`, `{"\u0061":1,"a":2}`,
		`{"a":"}","b":"{","a":3}`, `{"a":[1,{"a":1,"b":2}],"c":"\\"}`, `"x"`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			duplicateKey(raw) // must not panic
			return
		}
		_, got := duplicateKey(raw)
		if want := refDuplicateKey(raw); got != want {
			t.Fatalf("duplicateKey(%q) = %v, reference %v", raw, got, want)
		}
	})
}
