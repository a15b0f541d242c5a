package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `quo"te`, `back\slash`, "new\nline\r\t", "\x00\x01\x1f", "é ü 日本",
		"bad \xff utf8", "\u2028\u2029", "<html>&amp;", "\xe2\x82"} {
		b := appendJSONString(nil, s)
		var got string
		require.NoError(t, json.Unmarshal(b, &got), "%q -> %s", s, b)
		assert.Equal(t, string([]rune(s)), got, "invalid bytes become U+FFFD each, as with encoding/json")
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"b\\c\n\x00\xff\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := string([]rune(s)); got != want {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	})
}

func TestUserJSONMatchesEncodingJSON(t *testing.T) {
	h := newTestOrg(t)
	require.Equal(t, 200, h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"n":1.5e3,"big":12345678901234567890,"b":false,"arr":["x",2,{"k":"v"}],"obj":{"a":[]},"nul":null,"s":"q\"\\"}}`).status)
	r := h.do("GET", "/api/v1/users/active@example.com", "")
	require.True(t, json.Valid(r.body), string(r.body))
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m))
	p := m["profile"].(map[string]any)
	assert.Equal(t, 1500.0, p["n"])
	assert.Equal(t, 12345678901234567890.0, p["big"])
	assert.Equal(t, false, p["b"])
	assert.Equal(t, []any{"x", 2.0, map[string]any{"k": "v"}}, p["arr"])
	assert.Equal(t, map[string]any{"a": []any{}}, p["obj"])
	assert.NotContains(t, p, "nul", "null removes the attribute in a partial update")
	assert.Equal(t, `q"\`, p["s"])
	assert.Contains(t, string(r.body), `"big":12345678901234567890`, "numbers keep their digits")
}
