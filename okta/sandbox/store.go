package sandbox

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// User and group statuses and types, as Okta spells them.
const (
	statusStaged          = "STAGED"
	statusProvisioned     = "PROVISIONED"
	statusActive          = "ACTIVE"
	statusRecovery        = "RECOVERY"
	statusLockedOut       = "LOCKED_OUT"
	statusPasswordExpired = "PASSWORD_EXPIRED"
	statusSuspended       = "SUSPENDED"
	statusDeprovisioned   = "DEPROVISIONED"

	groupTypeOkta    = "OKTA_GROUP"
	groupTypeApp     = "APP_GROUP"
	groupTypeBuiltIn = "BUILT_IN"
)

var validStatuses = map[string]bool{
	statusStaged: true, statusProvisioned: true, statusActive: true, statusRecovery: true,
	statusLockedOut: true, statusPasswordExpired: true, statusSuspended: true, statusDeprovisioned: true,
}

// defaultUserTypeID is the id of the org's only user type.
const defaultUserTypeID = "otysandboxdefault001"

type user struct {
	id              string
	status          string
	created         time.Time
	activated       time.Time // zero = null
	statusChanged   time.Time
	lastLogin       time.Time
	lastUpdated     time.Time
	passwordChanged time.Time
	profile         map[string]any
	password        string // never echoed; "" = no password credential
	recoveryQ       string
	provider        string              // credentials.provider type: OKTA, IMPORT, FEDERATION or SOCIAL ("" = OKTA)
	providerName    string              // credentials.provider name ("" = the type)
	groups          map[string]struct{} // explicit memberships (Everyone is implicit)
	version         uint64              // bumped on every change, for the ETag
	loginKey        string
	shortKey        string
	// readOnlyAdmin: signed in, the user is a Read-only Admin (a seed's
	// adminRole); everyone else acts with every right their scopes give.
	readOnlyAdmin bool
}

type group struct {
	id                    string
	typ                   string
	created               time.Time
	lastUpdated           time.Time
	lastMembershipUpdated time.Time
	profile               map[string]any
	objectClass           []string
	sourceID              string // APP_GROUP: the app it was imported from
	members               sortedIDs
	nameKey               string
}

// sortedIDs is an ordered set of ids. Okta pages collections in id order
// with the last id as the cursor; keeping ids sorted makes a page lookup a
// binary search plus a slice walk.
type sortedIDs []string

// insert adds id (appending is the common, cheap case).
func (s *sortedIDs) insert(id string) bool {
	n := len(*s)
	if n == 0 || (*s)[n-1] < id {
		*s = append(*s, id)
		return true
	}
	i, found := slices.BinarySearch(*s, id)
	if found {
		return false
	}
	*s = slices.Insert(*s, i, id)
	return true
}

func (s *sortedIDs) remove(id string) bool {
	i, found := slices.BinarySearch(*s, id)
	if !found {
		return false
	}
	*s = slices.Delete(*s, i, i+1)
	return true
}

func (s sortedIDs) contains(id string) bool {
	_, found := slices.BinarySearch(s, id)
	return found
}

// after returns the index of the first id greater than cursor ("" = 0).
// A cursor whose item was deleted still lands at the right place.
func (s sortedIDs) after(cursor string) int {
	if cursor == "" {
		return 0
	}
	i, found := slices.BinarySearch(s, cursor)
	if found {
		i++
	}
	return i
}

// state is everything the org holds. It is guarded by Org.mu.
type state struct {
	users      map[string]*user
	userIDs    sortedIDs
	logins     map[string]string   // folded login -> user id
	shortnames map[string][]string // folded login shortname -> user ids
	groups     map[string]*group
	groupIDs   sortedIDs
	groupNames map[string]string // folded group name -> group id
	everyone   string            // id of the BUILT_IN Everyone group
	schema     *userSchema
	// deletedGroups keeps the name key of deleted groups, for cursors.
	deletedGroups map[string]string
	rng           *rand.Rand
	// seedDays are the seed's factors and sessions, until the org's day
	// state takes them (New).
	seedDays []seedDay
	// seedLog is the seed's System Log history, until the day state
	// takes it (addSeeded).
	seedLog []seedLogEvent
}

func newState(nUsers int) *state {
	return &state{
		users:      make(map[string]*user, nUsers),
		logins:     make(map[string]string, nUsers),
		shortnames: make(map[string][]string, nUsers),
		groups:     make(map[string]*group),
		groupNames: make(map[string]string),
		rng:        rand.New(rand.NewPCG(0x5eed0_0c7a, 0x5a4db0c5)),
	}
}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns an unused 20-character Okta-style id with the given
// 3-character prefix ("00u" users, "00g" groups).
func (st *state) newID(prefix string, taken func(string) bool) string {
	for {
		if id := st.randomID(prefix, 20); !taken(id) {
			return id
		}
	}
}

// randomID is prefix followed by random id characters, n in all.
func (st *state) randomID(prefix string, n int) string {
	b := make([]byte, n)
	copy(b, prefix)
	for i := len(prefix); i < n; i++ {
		b[i] = idAlphabet[st.rng.IntN(len(idAlphabet))]
	}
	return string(b)
}

func (st *state) newUserID() string {
	return st.newID("00u", func(id string) bool { _, ok := st.users[id]; return ok })
}

func (st *state) newGroupID() string {
	return st.newID("00g", func(id string) bool { _, ok := st.groups[id]; return ok })
}

func (st *state) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = idAlphabet[st.rng.IntN(len(idAlphabet))]
	}
	return string(b)
}

// findUser resolves a user path id: an id, a login, or an unambiguous login
// shortname (the part before the @), as Okta does.
func (st *state) findUser(key string) *user {
	if u, ok := st.users[key]; ok {
		return u
	}
	k := foldKey(key)
	if id, ok := st.logins[k]; ok {
		return st.users[id]
	}
	if ids := st.shortnames[k]; len(ids) == 1 {
		return st.users[ids[0]]
	}
	return nil
}

func (st *state) indexUser(u *user) {
	login, _ := u.profile["login"].(string)
	u.loginKey = foldKey(login)
	u.shortKey = foldKey(shortname(login))
	st.logins[u.loginKey] = u.id
	if u.shortKey != u.loginKey {
		st.shortnames[u.shortKey] = append(st.shortnames[u.shortKey], u.id)
	}
}

func (st *state) unindexUser(u *user) {
	delete(st.logins, u.loginKey)
	if u.shortKey != u.loginKey {
		ids := slices.DeleteFunc(st.shortnames[u.shortKey], func(id string) bool { return id == u.id })
		if len(ids) == 0 {
			delete(st.shortnames, u.shortKey)
		} else {
			st.shortnames[u.shortKey] = ids
		}
	}
}

func (st *state) addUser(u *user) {
	st.users[u.id] = u
	st.userIDs.insert(u.id)
	st.indexUser(u)
}

func (st *state) addGroup(g *group) {
	st.groups[g.id] = g
	st.groupIDs.insert(g.id)
	g.nameKey = foldKey(groupName(g.profile))
	st.groupNames[g.nameKey] = g.id
}

func groupName(p map[string]any) string {
	s, _ := p["name"].(string)
	return s
}

func shortname(login string) string {
	if i := strings.IndexByte(login, '@'); i >= 0 {
		return login[:i]
	}
	return login
}

// foldKey folds s for Okta's uniqueness rules: logins (and group names)
// that differ only in case or diacritics collide.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	bases := diacriticBase()
	for _, r := range strings.ToLower(s) {
		if r >= 0x300 && r <= 0x36f { // combining diacritical marks
			continue
		}
		if base, ok := bases[r]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// diacriticBase maps lower-case Latin letters with diacritics (Latin-1
// Supplement and Latin Extended-A) to their base letters. Built on first use,
// not at every okta-mcp start.
var diacriticBase = sync.OnceValue(func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşš", "t": "ţťŧ", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ss": "ß", "ae": "æ", "oe": "œ",
	}
	m := make(map[rune]string)
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
})

// isMember reports whether u belongs to g (everyone belongs to Everyone).
func (st *state) isMember(g *group, u *user) bool {
	if g.id == st.everyone {
		return true
	}
	_, ok := u.groups[g.id]
	return ok
}

func (st *state) addMember(g *group, u *user, now time.Time) bool {
	if _, ok := u.groups[g.id]; ok {
		return false
	}
	u.groups[g.id] = struct{}{}
	g.members.insert(u.id)
	g.lastMembershipUpdated = now
	return true
}

func (st *state) removeMember(g *group, u *user, now time.Time) bool {
	if _, ok := u.groups[g.id]; !ok {
		return false
	}
	delete(u.groups, g.id)
	g.members.remove(u.id)
	g.lastMembershipUpdated = now
	return true
}

// deleteUser removes u and its memberships.
func (st *state) deleteUser(u *user, now time.Time) {
	for gid := range u.groups {
		if g := st.groups[gid]; g != nil {
			g.members.remove(u.id)
			g.lastMembershipUpdated = now
		}
	}
	st.unindexUser(u)
	delete(st.users, u.id)
	st.userIDs.remove(u.id)
	if g := st.groups[st.everyone]; g != nil {
		g.lastMembershipUpdated = now
	}
}

func (st *state) deleteGroup(g *group) {
	for _, uid := range g.members {
		if u := st.users[uid]; u != nil {
			delete(u.groups, g.id)
			u.version++
		}
	}
	delete(st.groupNames, g.nameKey)
	delete(st.groups, g.id)
	if st.deletedGroups == nil {
		st.deletedGroups = make(map[string]string)
	}
	st.deletedGroups[g.id] = g.nameKey // a paging cursor may still name it
	st.groupIDs.remove(g.id)
}

// userGroups returns the groups u belongs to, in id order.
func (st *state) userGroups(u *user) []*group {
	out := make([]*group, 0, len(u.groups)+1)
	for gid := range u.groups {
		if g := st.groups[gid]; g != nil {
			out = append(out, g)
		}
	}
	if g := st.groups[st.everyone]; g != nil {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *group) int { return strings.Compare(a.id, b.id) })
	return out
}

func cloneProfile(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}
