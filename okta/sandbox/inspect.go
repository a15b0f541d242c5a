package sandbox

import (
	"slices"
	"time"
)

// UserState is a snapshot of a user, for tests that check the org directly.
type UserState struct {
	ID            string
	Status        string
	Login         string
	Profile       map[string]any // a copy
	HasPassword   bool
	GroupIDs      []string // explicit memberships (not Everyone), sorted
	Created       time.Time
	LastUpdated   time.Time
	StatusChanged time.Time // zero when null
	Activated     time.Time // zero when null
}

// GroupState is a snapshot of a group.
type GroupState struct {
	ID                    string
	Type                  string
	Name                  string
	Profile               map[string]any // a copy
	MemberIDs             []string       // sorted; for Everyone, every user
	LastUpdated           time.Time
	LastMembershipUpdated time.Time
}

// LookupUser finds a user as the API's path does (id, login, or
// unambiguous login shortname).
func (o *Org) LookupUser(idOrLogin string) (UserState, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	u := o.st.findUser(idOrLogin)
	if u == nil {
		return UserState{}, false
	}
	login, _ := u.profile["login"].(string)
	gids := make([]string, 0, len(u.groups))
	for id := range u.groups {
		gids = append(gids, id)
	}
	slices.Sort(gids)
	return UserState{
		ID: u.id, Status: u.status, Login: login, Profile: cloneProfile(u.profile),
		HasPassword: u.password != "", GroupIDs: gids,
		Created: u.created, LastUpdated: u.lastUpdated, StatusChanged: u.statusChanged, Activated: u.activated,
	}, true
}

// LookupGroup finds a group by id or name (ignoring case).
func (o *Org) LookupGroup(idOrName string) (GroupState, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	g := o.st.groups[idOrName]
	if g == nil {
		g = o.st.groups[o.st.groupNames[foldKey(idOrName)]]
	}
	if g == nil {
		return GroupState{}, false
	}
	members := slices.Clone([]string(g.members))
	if g.id == o.st.everyone {
		members = slices.Clone([]string(o.st.userIDs))
	}
	return GroupState{
		ID: g.id, Type: g.typ, Name: groupName(g.profile), Profile: cloneProfile(g.profile),
		MemberIDs: members, LastUpdated: g.lastUpdated, LastMembershipUpdated: g.lastMembershipUpdated,
	}, true
}

// UserCount is the number of users, DEPROVISIONED ones included.
func (o *Org) UserCount() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.st.users)
}

// GroupCount is the number of groups, Everyone included.
func (o *Org) GroupCount() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.st.groups)
}

// EveryoneGroupID is the id of the BUILT_IN Everyone group.
func (o *Org) EveryoneGroupID() string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.st.everyone
}
