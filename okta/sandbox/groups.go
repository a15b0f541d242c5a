package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of listGroups and listGroupUsers.
const (
	groupsDefaultLimit  = 10000
	groupsMaxLimit      = 10000
	groupsQLimit        = 300
	membersDefaultLimit = 1000
	membersMaxLimit     = 1000
	maxGroupNameLength  = 255
)

type groupBody struct {
	Profile map[string]any `json:"profile"`
}

func (c *call) wantStats() bool {
	for _, e := range strings.Split(c.query.Get("expand"), ",") {
		if strings.TrimSpace(e) == "stats" {
			return true
		}
	}
	return false
}

// listGroups: GET /api/v1/groups.
func listGroups(c *call) (*response, error) {
	search, filter, q := c.query.Get("search"), c.query.Get("filter"), c.query.Get("q")
	if search != "" && filter != "" {
		return nil, errSearchAndFilter()
	}
	match := func(*group) bool { return true }
	switch {
	case search != "":
		p, err := compileGroupExpr(search, modeSearch)
		if err != nil {
			return nil, err
		}
		match = p
	case filter != "":
		p, err := compileGroupExpr(filter, modeFilter)
		if err != nil {
			return nil, err
		}
		match = p
	}
	stats := c.wantStats()
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	st := c.o.st

	// Okta lists groups by name (recordings: fidelity_test.go), ties by id.
	if q != "" {
		// q: name prefix, not paged; an exact match sorts first by name.
		limit, err := c.pageLimit(groupsQLimit, groupsMaxLimit)
		if err != nil {
			return nil, err
		}
		lq := strings.ToLower(q)
		all := st.groupsByName(func(g *group) bool {
			return match(g) && strings.HasPrefix(strings.ToLower(groupName(g.profile)), lq)
		})
		return c.groupPage(all[:min(limit, len(all))], "", stats)
	}

	limit, err := c.pageLimit(groupsDefaultLimit, groupsMaxLimit)
	if err != nil {
		return nil, err
	}
	after, err := c.cursor()
	if err != nil {
		return nil, err
	}
	all := st.groupsByName(match)
	start := 0
	if after != "" {
		key, ok := st.groupSortKey(after)
		if !ok {
			return nil, errInvalidPaging("after: invalid cursor")
		}
		start, _ = slices.BinarySearchFunc(all, key, func(g *group, k groupKey) int {
			return cmpGroupKey(groupKey{g.nameKey, g.id}, k)
		})
		if start < len(all) && all[start].id == after {
			start++
		}
	}
	page := all[start:]
	next := ""
	if len(page) > limit {
		page = page[:limit]
		next = page[len(page)-1].id
	}
	return c.groupPage(page, next, stats)
}

// groupKey orders groups as Okta lists them: by name (folded), then id.
type groupKey struct{ name, id string }

func cmpGroupKey(a, b groupKey) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// groupsByName returns the matching groups in list order; the caller
// holds the lock.
func (st *state) groupsByName(match func(*group) bool) []*group {
	out := make([]*group, 0, len(st.groupIDs))
	for _, id := range st.groupIDs {
		if g := st.groups[id]; match(g) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *group) int {
		return cmpGroupKey(groupKey{a.nameKey, a.id}, groupKey{b.nameKey, b.id})
	})
	return out
}

// groupSortKey is the list position of a cursor: a group, or one deleted
// since (so that paging goes on after a deletion).
func (st *state) groupSortKey(id string) (groupKey, bool) {
	if g := st.groups[id]; g != nil {
		return groupKey{g.nameKey, id}, true
	}
	if name, ok := st.deletedGroups[id]; ok {
		return groupKey{name, id}, true
	}
	return groupKey{}, false
}

func (c *call) groupPage(page []*group, next string, stats bool) (*response, error) {
	out := make([]groupJSON, len(page))
	for i, g := range page {
		out[i] = c.o.st.renderGroup(g, c.base, stats)
	}
	resp, err := c.json(http.StatusOK, out)
	if err != nil {
		return nil, err
	}
	resp.header = c.links(next)
	return resp, nil
}

// getGroup: GET /api/v1/groups/{groupId}.
func getGroup(c *call) (*response, error) {
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	g := c.o.st.groups[c.params[0]]
	if g == nil {
		return nil, errGroupNotFound(c.params[0])
	}
	return c.json(http.StatusOK, c.o.st.renderGroup(g, c.base, c.wantStats()))
}

func validateGroupProfile(p map[string]any) error {
	v, present := p["name"]
	name, isString := v.(string)
	switch {
	case present && v != nil && !isString:
		return errValidation("name", "name: The field must be a string")
	case strings.TrimSpace(name) == "":
		return errValidation("name", "name: The field cannot be left blank")
	case utf8.RuneCountInString(name) > maxGroupNameLength:
		return errValidation("name", "name: The field cannot be longer than 255 characters")
	}
	if d, present := p["description"]; present && d != nil {
		if _, ok := d.(string); !ok {
			return errValidation("description", "description: The field must be a string")
		}
	}
	return nil
}

func errDuplicateGroupName() *apiError {
	return errValidation("name", "name: An object with this field already exists in the current organization")
}

// createGroup: POST /api/v1/groups. Only OKTA_GROUPs can be created.
func createGroup(c *call) (*response, error) {
	var body groupBody
	if err := c.readBody(&body); err != nil {
		return nil, err
	}
	if body.Profile == nil {
		body.Profile = map[string]any{}
	}
	if err := validateGroupProfile(body.Profile); err != nil {
		return nil, err
	}
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	if _, taken := st.groupNames[foldKey(groupName(body.Profile))]; taken {
		return nil, errDuplicateGroupName()
	}
	g := &group{
		id:                    st.newGroupID(),
		typ:                   groupTypeOkta,
		created:               c.now,
		lastUpdated:           c.now,
		lastMembershipUpdated: c.now,
		profile:               body.Profile,
		objectClass:           []string{"okta:user_group"},
	}
	st.addGroup(g)
	return c.json(http.StatusOK, st.renderGroup(g, c.base, false))
}

// replaceGroup: PUT /api/v1/groups/{groupId}, a full replace of the
// profile. Only OKTA_GROUPs can be changed: BUILT_IN groups are managed by
// Okta and APP_GROUPs by their app (403 E0000006).
func replaceGroup(c *call) (*response, error) {
	var body groupBody
	if err := c.readBody(&body); err != nil {
		return nil, err
	}
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	g := st.groups[c.params[0]]
	if g == nil {
		return nil, errGroupNotFound(c.params[0])
	}
	if g.typ != groupTypeOkta {
		return nil, errAccessDenied()
	}
	if body.Profile == nil {
		body.Profile = map[string]any{}
	}
	if err := validateGroupProfile(body.Profile); err != nil {
		return nil, err
	}
	key := foldKey(groupName(body.Profile))
	if id, taken := st.groupNames[key]; taken && id != g.id {
		return nil, errDuplicateGroupName()
	}
	delete(st.groupNames, g.nameKey)
	g.profile, g.nameKey = body.Profile, key
	st.groupNames[key] = g.id
	g.lastUpdated = c.now
	return c.json(http.StatusOK, st.renderGroup(g, c.base, false))
}

// deleteGroup: DELETE /api/v1/groups/{groupId}. OKTA_GROUPs and APP_GROUPs
// can be deleted; the BUILT_IN Everyone group cannot (403 E0000006).
func deleteGroup(c *call) (*response, error) {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	g := st.groups[c.params[0]]
	if g == nil {
		return nil, errGroupNotFound(c.params[0])
	}
	if g.typ == groupTypeBuiltIn {
		return nil, errAccessDenied()
	}
	st.deleteGroup(g)
	return noContent()
}

// listGroupUsers: GET /api/v1/groups/{groupId}/users, paged in user id
// order; DEPROVISIONED members are included.
func listGroupUsers(c *call) (*response, error) {
	limit, err := c.pageLimit(membersDefaultLimit, membersMaxLimit)
	if err != nil {
		return nil, err
	}
	after, err := c.cursor()
	if err != nil {
		return nil, err
	}
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	st := c.o.st
	g := st.groups[c.params[0]]
	if g == nil {
		return nil, errGroupNotFound(c.params[0])
	}
	ids := g.members
	if g.id == st.everyone {
		ids = st.userIDs
	}
	page, more := st.scanUsers(ids, ids.after(after), limit, func(*user) bool { return true })
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	return c.userPage(page, next)
}

// membership finds the group and user of a membership path, and checks the
// group's membership can be changed (OKTA_GROUP only).
func (c *call) membership() (*group, *user, error) {
	st := c.o.st
	g := st.groups[c.params[0]]
	if g == nil {
		return nil, nil, errGroupNotFound(c.params[0])
	}
	u := st.users[c.params[1]]
	if u == nil {
		return nil, nil, errUserNotFound(c.params[1])
	}
	switch g.typ {
	case groupTypeBuiltIn:
		// Everyone's members are every user; Okta's answer is the
		// catalog's "Unsupported operation" (not a permission problem).
		return nil, nil, errUnsupportedOperation()
	case groupTypeApp:
		return nil, nil, errAccessDenied()
	}
	return g, u, nil
}

// assignUserToGroup: PUT /api/v1/groups/{groupId}/users/{userId}; adding a
// member again is a no-op (204 either way).
func assignUserToGroup(c *call) (*response, error) {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	g, u, err := c.membership()
	if err != nil {
		return nil, err
	}
	if c.o.st.addMember(g, u, c.now) {
		u.version++
	}
	return noContent()
}

// unassignUserFromGroup: DELETE /api/v1/groups/{groupId}/users/{userId};
// removing a non-member is a no-op (204 either way).
func unassignUserFromGroup(c *call) (*response, error) {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	g, u, err := c.membership()
	if err != nil {
		return nil, err
	}
	if c.o.st.removeMember(g, u, c.now) {
		u.version++
	}
	return noContent()
}
