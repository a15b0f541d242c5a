package sandbox

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
)

// sortedUserPage answers a search with sortBy/sortOrder: matching users
// ordered by the attribute (ties by id). The cursor encodes the last
// user's sort key and id, so it stays valid when that user is deleted.
func (c *call) sortedUserPage(sortBy, after string, limit int, match func(*user) bool) (*response, error) {
	desc := false
	switch strings.ToLower(c.query.Get("sortOrder")) {
	case "", "asc":
	case "desc":
		desc = true
	default:
		return nil, errValidation("sortOrder", "sortOrder: must be asc or desc")
	}
	get, _, err := userQuery.attribute(sortBy, "eq", modeSearch)
	if err != nil {
		return nil, err
	}
	var curKey, curID string
	if after != "" {
		raw, err := base64.RawURLEncoding.DecodeString(after)
		if err != nil {
			return nil, errInvalidPaging("after: invalid cursor")
		}
		k, id, ok := strings.Cut(string(raw), "\x00")
		if !ok {
			return nil, errInvalidPaging("after: invalid cursor")
		}
		curKey, curID = k, id
	}

	type entry struct {
		key string
		u   *user
	}
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	var all []entry
	for _, id := range c.o.st.userIDs {
		u := c.o.st.users[id]
		if match(u) {
			all = append(all, entry{sortKey(get(u)), u})
		}
	}
	cmp := func(ak, aid, bk, bid string) int {
		if r := strings.Compare(ak, bk); r != 0 {
			return r
		}
		return strings.Compare(aid, bid)
	}
	slices.SortFunc(all, func(a, b entry) int {
		r := cmp(a.key, a.u.id, b.key, b.u.id)
		if desc {
			r = -r
		}
		return r
	})
	start := 0
	if after != "" {
		start, _ = slices.BinarySearchFunc(all, struct{}{}, func(e entry, _ struct{}) int {
			r := cmp(e.key, e.u.id, curKey, curID)
			if desc {
				r = -r
			}
			if r <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+limit, len(all))
	page := make([]*user, 0, end-start)
	for _, e := range all[start:end] {
		page = append(page, e.u)
	}
	next := ""
	if end < len(all) {
		last := all[end-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(last.key + "\x00" + last.u.id))
	}
	return c.userPage(page, next)
}

// sortKey orders attribute values: case-insensitive strings, timestamps
// and numbers in their natural order; missing values last.
func sortKey(v any) string {
	switch v := v.(type) {
	case nil:
		return "\xff"
	case string:
		return strings.ToLower(v)
	case time.Time:
		if v.IsZero() {
			return "\xff"
		}
		return v.UTC().Format(timeFormat)
	default:
		return strings.ToLower(fmt.Sprint(v))
	}
}
