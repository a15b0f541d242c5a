package sandbox

import (
	"net/http"
	"strconv"
)

// pageLimit reads the limit query parameter: def when absent, clamped to
// max (as Okta clamps), E0000029 when it is not a positive integer.
func (c *call) pageLimit(def, max int) (int, error) {
	v := c.query.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, errInvalidPaging("limit: must be a positive integer, got " + strconv.Quote(v))
	}
	return min(n, max), nil
}

// cursor reads the after query parameter. Cursors are the id of the last
// item of the previous page; anything that cannot be one is rejected, as
// Okta rejects cursors it did not issue (E0000029), rather than read as an
// empty last page.
func (c *call) cursor() (string, error) {
	v := c.query.Get("after")
	if len(v) > 512 {
		return "", errInvalidPaging("after: invalid cursor")
	}
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '-') {
			return "", errInvalidPaging("after: invalid cursor")
		}
	}
	// Sorted searches have cursors of their own (sort.go checks them);
	// the others are ids.
	sorted := c.query.Get("sortBy") != "" && c.query.Get("search") != ""
	if v != "" && !sorted && !validID(v, "00") {
		return "", errInvalidPaging("after: invalid cursor")
	}
	return v, nil
}

// links returns the Link headers of a collection page: rel="self" is the
// request's own URL, rel="next" (when there is more) the same query with
// after set to next. One header per relation, as Okta sends them.
func (c *call) links(next string) http.Header {
	path := c.r.URL.EscapedPath()
	self := c.base + path
	if c.r.URL.RawQuery != "" {
		self += "?" + c.r.URL.RawQuery
	}
	h := http.Header{}
	h.Add("Link", "<"+self+`>; rel="self"`)
	if next != "" {
		q := c.r.URL.Query()
		q.Set("after", next)
		h.Add("Link", "<"+c.base+path+"?"+q.Encode()+`>; rel="next"`)
	}
	return h
}
