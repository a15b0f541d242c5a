package okta

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestValidatePathSegment(t *testing.T) {
	good := []string{
		"00ub0oNGTSWTBKOLGLNR", "00g1emaKYZTWRYYRRTSK", "me", "isaac.brock@example.com",
		"isaac+test@example.com", "first last", "o'brien@example.com", "50%off", "100%", "a%zz",
		"a%41b", // decodes to "aAb": harmless, sent as a%2541b
		"名前@example.jp", "a.b.c",
	}
	for _, s := range good {
		assert.NoError(t, ValidatePathSegment(s), "%q", s)
	}
	bad := []string{
		"", ".", "..", "../x", "x/..", "a/b", "/", "a\\b", "x?y", "x#y", "a;b", "a..b",
		"a%2fb", "a%2Fb", "a%5cb", "x%3fy", "x%23y", "%2e%2e", "%2E.", "a%3bb",
		"a%252fb", "a%25252Fb", "%252e%252e", "a%2500b",
		"a\x00b", "a\nb", "a\rb", "a\tb", "a\x7fb", "a\u0085b", "a%0ab", "a%250ab",
		"\xff\xfe", "a%ffb",
		"a\u2215b", "a\uff0fb", "\uff0e\uff0e", "a%e2%88%95b",
		strings.Repeat("a", 1025),
		"%2525252525252541", // encoded deeper than we look
	}
	for _, s := range bad {
		err := ValidatePathSegment(s)
		assert.ErrorIs(t, err, ErrInvalidPathSegment, "%q", s)
	}
}

func TestExpandPath(t *testing.T) {
	p, err := expandPath("/api/v1/groups/{groupId}/users/{userId}", "00g1", "a b")
	require.NoError(t, err)
	assert.Equal(t, "/api/v1/groups/00g1/users/a%20b", p)
	p, err = expandPath("/api/v1/users/{id}", "a%41b")
	require.NoError(t, err)
	assert.Equal(t, "/api/v1/users/a%2541b", p)
	_, err = expandPath("/api/v1/users/{id}")
	assert.Error(t, err)
	_, err = expandPath("/api/v1/users", "x")
	assert.Error(t, err)
}

// FuzzValidatePathSegment checks that an accepted segment, once escaped,
// stays exactly one path segment however many times a server decodes it.
func FuzzValidatePathSegment(f *testing.F) {
	for _, s := range []string{"00ub0oNGTSWTBKOLGLNR", "a/b", "a%2fb", "a%252fb", "..", "x@y.z", "%", "%%32%66"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidatePathSegment(s) != nil {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("%q: invalid UTF-8 accepted", s)
		}
		p, err := expandPath("/api/v1/users/{id}/lifecycle/activate", s)
		if err != nil {
			t.Fatal(err)
		}
		// Decode the escaped path repeatedly, as layers of servers might.
		v := p
		for range 5 {
			segs := strings.Split(v, "/")
			if len(segs) != 7 || segs[5] != "lifecycle" {
				t.Fatalf("%q: path %q decodes to %q, which changes the path", s, p, v)
			}
			if segs[4] == ".." || segs[4] == "." || strings.ContainsAny(segs[4], "?#\\;") {
				t.Fatalf("%q: decodes to a dangerous segment %q", s, segs[4])
			}
			d, err := url.PathUnescape(v)
			if err != nil || d == v {
				break
			}
			v = d
		}
	})
}

// Issue 9 finding 8: compatibility forms of path characters are refused like
// their ASCII forms (servers and proxies may NFKC-normalise a path).
func TestValidatePathSegmentCompatibilityForms(t *testing.T) {
	for _, s := range []string{
		"\u2025",                          // ‥ -> ..
		"a\u2025b",                        // a‥b
		"\ufe30",                          // ︰ -> ..
		"\u2026",                          // … -> ...
		"\ufe19",                          // ︙ -> ...
		"x\uff1fy=1",                      // ？
		"x\uff03frag",                     // ＃
		"x\uff1bjsessionid",               // ；
		"\uff05" + "2e" + "\uff05" + "2e", // ％2e％2e -> %2e%2e -> ..
		"ad\uff0fmin",                     // ／
	} {
		err := ValidatePathSegment(s)
		assert.ErrorIs(t, err, ErrInvalidPathSegment, "%q (NFKC %q)", s, norm.NFKC.String(s))
	}
	for _, s := range []string{"zoë@example.com", "jürgen.müller@example.com", "00u1abc", "名前@example.jp", "ﬁle@example.com"} {
		assert.NoError(t, ValidatePathSegment(s), "%q", s)
	}
}
