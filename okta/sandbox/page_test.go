package sandbox

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sign-in page is written by hand (no html/template): every value that
// reaches it, from the authorize request's query or from an error, must come
// out escaped, in element text and in attribute values.
func TestWritePageEscapesEveryValue(t *testing.T) {
	const evil = `"><script>alert(1)</script>&'`
	const escaped = `&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;`
	var b bytes.Buffer
	writePage(&b, page{
		Title: evil, Error: evil, Message: evil, Action: "/oauth2/v1/authorize" + evil,
		Hidden:   []hiddenField{{Name: evil, Value: evil}},
		UserCode: &hiddenField{Name: "user_code", Value: evil},
	})
	out := b.String()
	assert.NotContains(t, out, "<script>")
	// Title twice, error, message, action, hidden name and value, user code.
	assert.Equal(t, 8, strings.Count(out, escaped), out)
	assert.Contains(t, out, `<form method="post" action="/oauth2/v1/authorize`+escaped+`">`)
	assert.Contains(t, out, `<input type="hidden" name="`+escaped+`" value="`+escaped+`">`)

	// A page without a form: no form, no hidden fields, no sign-in text.
	b.Reset()
	writePage(&b, page{Title: "Error: invalid_request", Error: "The 'client_id' parameter is required."})
	out = b.String()
	require.Contains(t, out, `<p class="err" id="error">The &#39;client_id&#39; parameter is required.</p>`)
	assert.NotContains(t, out, "<form")
	assert.NotContains(t, out, `id="message"`)
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>\n") && strings.HasSuffix(out, "</body></html>\n"), out)
}
