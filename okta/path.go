package okta

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalidPathSegment is matched (errors.Is) by every error
// ValidatePathSegment returns.
var ErrInvalidPathSegment = errors.New("okta: invalid id or login")

type pathSegmentError struct{ reason string }

func (e *pathSegmentError) Error() string {
	return "okta: invalid id or login: " + e.reason
}

func (e *pathSegmentError) Is(target error) bool { return target == ErrInvalidPathSegment }

// maxDecodeDepth is how many rounds of percent-decoding ValidatePathSegment
// looks through; a value still encoded deeper than that is refused.
const maxDecodeDepth = 4

// ValidatePathSegment rejects ids and logins that could change the request's
// path or escape their segment once servers and proxies decode them: empty
// values, more than 1024 bytes, invalid UTF-8, control characters, "/", "\",
// "?", "#", ";" (a path-parameter delimiter for Java servers), "..", a lone
// ".", and any percent-encoded form of these at any depth ("%2F", "%252f",
// ...). Values are also checked after Unicode compatibility normalisation
// (NFKC), which servers and proxies may apply: "‥", "…", "︙" become "..",
// and full-width "？", "＃", "；", "／", "％" their ASCII forms. Accepted values
// are always sent url.PathEscape'd, so characters such as '@', '+' or ' ' in
// logins are safe.
func ValidatePathSegment(s string) error {
	if err := validateSegment(s); err != nil {
		return err
	}
	if !isASCII(s) {
		if n := norm.NFKC.String(s); n != s {
			if err := validateSegment(n); err != nil {
				var pe *pathSegmentError
				if errors.As(err, &pe) {
					pe.reason += " (in its Unicode compatibility form)"
				}
				return err
			}
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func validateSegment(s string) error {
	if s == "" {
		return &pathSegmentError{"it is empty"}
	}
	if len(s) > 1024 {
		return &pathSegmentError{"it is longer than 1024 bytes"}
	}
	v := s
	for depth := 0; ; depth++ {
		if err := checkSegment(v); err != nil {
			if depth > 0 {
				err.reason += " (percent-encoded)"
			}
			return err
		}
		if !strings.Contains(v, "%") {
			return nil
		}
		d, err := url.PathUnescape(v)
		if err != nil || d == v {
			// Not a valid escape sequence: a literal '%', which PathEscape
			// sends as %25. Nothing deeper can decode.
			return nil
		}
		if depth == maxDecodeDepth {
			return &pathSegmentError{"it is percent-encoded too many times"}
		}
		v = d
	}
}

// dotLookalikes maps the characters some servers normalise to "." onto it.
// Package-level: a Replacer built per call cost allocations on every request.
var dotLookalikes = strings.NewReplacer("\uff0e", ".", "\u2024", ".", "\ufe52", ".")

func checkSegment(v string) *pathSegmentError {
	if !utf8.ValidString(v) {
		return &pathSegmentError{"it is not valid UTF-8"}
	}
	dots := dotLookalikes.Replace(v)
	if dots == "." || strings.Contains(dots, "..") {
		return &pathSegmentError{`it contains "." or ".." path elements`}
	}
	for _, r := range v {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return &pathSegmentError{"it contains control characters"}
		case r == '/' || r == '\\' || r == '?' || r == '#' || r == ';':
			return &pathSegmentError{fmt.Sprintf("it contains %q, which is not allowed in an id or login", r)}
		case r == '\u2215' || r == '\u2044' || r == '\uff0f' || r == '\uff3c' || r == '\u29f8' || r == '\ufe68':
			return &pathSegmentError{"it contains a slash look-alike character"}
		}
	}
	return nil
}

// expandPath fills the {name} placeholders of template, in order, with
// validated, path-escaped segments. It returns the escaped path.
func expandPath(template string, segs ...string) (string, error) {
	var b strings.Builder
	rest := template
	for _, s := range segs {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			return "", fmt.Errorf("okta: internal: template %q has fewer placeholders than segments", template)
		}
		if err := ValidatePathSegment(s); err != nil {
			return "", err
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(s))
		rest = rest[j+1:]
	}
	if strings.ContainsAny(rest, "{}") {
		return "", fmt.Errorf("okta: internal: template %q has more placeholders than segments", template)
	}
	b.WriteString(rest)
	return b.String(), nil
}
