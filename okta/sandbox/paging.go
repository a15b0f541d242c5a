package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// pageLimit reads the limit query parameter: def when absent, clamped to
// max (as Okta clamps), E0000029 when it is not a positive integer.
func (c *call) pageLimit(def, max int) (int, error) {
	v := c.query.Get("limit")
	if v == "" {
		c.limit = def
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, errInvalidPaging("limit: must be a positive integer, got " + strconv.Quote(v))
	}
	c.limit = min(n, max)
	return c.limit, nil
}

// cursor reads the after query parameter. Cursors are the id of the last
// item of the previous page; anything that cannot be one is rejected.
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
	return v, nil
}

// links returns the Link headers of a collection page, as Okta sends
// them: rel="self" is the request in canonical form (after, then the
// effective limit, then the other parameters in the order given;
// sortOrder only with sortBy), rel="next" (when there is more) the same
// with after set to next. One header per relation. Answers to q get no
// Link header (q is not paged).
func (c *call) links(next string) http.Header {
	if c.query.Get("q") != "" {
		return nil
	}
	limit := c.limit
	if limit == 0 {
		limit = 200
	}
	var rest []string
	for _, kv := range strings.Split(c.r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || k == "" || k == "after" || k == "limit" ||
			k == "sortOrder" && c.query.Get("sortBy") == "" {
			continue
		}
		rest = append(rest, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	query := func(after string) string {
		q := "limit=" + strconv.Itoa(limit)
		if after != "" {
			q = "after=" + url.QueryEscape(after) + "&" + q
		}
		if len(rest) > 0 {
			q += "&" + strings.Join(rest, "&")
		}
		return q
	}
	path := c.base + c.r.URL.EscapedPath() + "?"
	h := http.Header{}
	h.Add("Link", "<"+path+query(c.query.Get("after"))+`>; rel="self"`)
	if next != "" {
		h.Add("Link", "<"+path+query(next)+`>; rel="next"`)
	}
	return h
}
