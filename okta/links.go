package okta

import (
	"net/http"
	"net/url"
	"strings"
)

// nextCursor finds the rel="next" link among all Link headers (repeated
// headers, comma-joined values, any case of the header name, of "rel" and of
// its value, quoted or unquoted rel, several relations in one rel such as
// rel="next self") and returns its after= cursor; "" when there is none.
func nextCursor(h http.Header) string {
	u := nextLink(h)
	if u == nil {
		return ""
	}
	return u.Query().Get("after")
}

// nextLink returns the URL of the first link whose rel includes "next".
func nextLink(h http.Header) *url.URL {
	for k, vs := range h {
		if !strings.EqualFold(k, "Link") {
			continue
		}
		for _, v := range vs {
			for _, l := range parseLinkHeader(v) {
				if l.hasRel("next") {
					if u, err := url.Parse(l.uri); err == nil {
						return u
					}
				}
			}
		}
	}
	return nil
}

type link struct {
	uri  string
	rels []string
}

func (l link) hasRel(rel string) bool {
	for _, r := range l.rels {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// parseLinkHeader parses one Link header value (RFC 8288 §3):
//
//	Link = #( "<" URI-Reference ">" *( OWS ";" OWS link-param ) )
//	link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
//
// Malformed link-values are skipped up to the next comma outside quotes.
func parseLinkHeader(v string) []link {
	var out []link
	i := 0
	n := len(v)
	skipWS := func() {
		for i < n && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	// skipToComma moves past the next comma that is not inside a quoted
	// string or <...>.
	skipToComma := func() {
		inQuote, inURI := false, false
		for ; i < n; i++ {
			c := v[i]
			switch {
			case inQuote && c == '\\':
				i++
			case c == '"' && !inURI:
				inQuote = !inQuote
			case c == '<' && !inQuote:
				inURI = true
			case c == '>' && !inQuote:
				inURI = false
			case c == ',' && !inQuote && !inURI:
				i++
				return
			}
		}
	}
	for i < n {
		skipWS()
		if i < n && v[i] == ',' {
			i++
			continue
		}
		if i >= n {
			break
		}
		if v[i] != '<' {
			skipToComma()
			continue
		}
		end := strings.IndexByte(v[i:], '>')
		if end < 0 {
			break
		}
		l := link{uri: strings.TrimSpace(v[i+1 : i+end])}
		i += end + 1
		for {
			skipWS()
			if i >= n || v[i] == ',' {
				break
			}
			if v[i] != ';' {
				skipToComma() // malformed parameter: keep the link, drop the rest
				break
			}
			i++
			skipWS()
			start := i
			for i < n && v[i] != '=' && v[i] != ';' && v[i] != ',' && v[i] != ' ' && v[i] != '\t' {
				i++
			}
			name := v[start:i]
			skipWS()
			var val string
			if i < n && v[i] == '=' {
				i++
				skipWS()
				if i < n && v[i] == '"' {
					i++
					var b strings.Builder
					for i < n && v[i] != '"' {
						if v[i] == '\\' && i+1 < n {
							i++
						}
						b.WriteByte(v[i])
						i++
					}
					i++ // closing quote
					val = b.String()
				} else {
					start := i
					for i < n && v[i] != ';' && v[i] != ',' && v[i] != ' ' && v[i] != '\t' {
						i++
					}
					val = v[start:i]
				}
			}
			// RFC 8288: occurrences after the first rel are ignored.
			if strings.EqualFold(name, "rel") && l.rels == nil {
				l.rels = strings.Fields(val)
				if l.rels == nil {
					l.rels = []string{}
				}
			}
		}
		if l.uri != "" {
			out = append(out, l)
		}
	}
	return out
}
