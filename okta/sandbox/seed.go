package sandbox

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Seed is the initial content of an org, usually read from JSON with
// LoadSeed. The format (see testdata/seed-example.json):
//
//	{
//	  "schema": {"custom": {"badgeId": {"type": "string"}}}, // optional: custom attributes
//	  "users": [
//	    {
//	      "id": "00u1a2b3c4d5e6f7g8h9",          // optional; generated when absent
//	      "status": "ACTIVE",                    // optional; default ACTIVE
//	      "password": "Sandbox-Passw0rd",        // optional; never echoed
//	      "recoveryQuestion": "Favourite color?",// optional
//	      "created": "2024-01-02T03:04:05.000Z", // optional timestamps: created,
//	      "lastLogin": "...",                    // activated, statusChanged, lastLogin,
//	      "profile": {                           // lastUpdated, passwordChanged
//	        "login": "ada@example.com",          // required, like Okta's create
//	        "email": "ada@example.com",          // required
//	        "firstName": "Ada", "lastName": "Lovelace",  // required
//	        "department": "Engineering"          // any other attributes
//	      },
//	      "groups": ["Engineering", "00g..."]    // group names or ids
//	    }
//	  ],
//	  "groups": [
//	    {
//	      "id": "00g1a2b3c4d5e6f7g8h9",          // optional
//	      "type": "OKTA_GROUP",                  // OKTA_GROUP (default), APP_GROUP or BUILT_IN
//	      "profile": {"name": "Engineering", "description": "..."},
//	      "objectClass": ["okta:user_group"],    // optional
//	      "sourceId": "0oa...",                  // APP_GROUP: the app it comes from
//	      "created": "...", "lastUpdated": "...", "lastMembershipUpdated": "..."
//	    }
//	  ]
//	}
//
// Unknown fields are errors, so typos do not pass silently. Memberships
// are listed on the users. The BUILT_IN group is the Everyone group: every
// user belongs to it automatically; when the seed has none, one named
// "Everyone" is added. Timestamps that are absent default to the time the
// org is created; all are truncated to the second, as Okta's are. Users that are in a status reached by activation
// (ACTIVE, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED) get a
// password credential even when the seed gives none.
type Seed struct {
	// Schema declares custom user profile attributes; see SeedSchema.
	Schema *SeedSchema `json:"schema,omitempty"`
	Users  []SeedUser  `json:"users"`
	Groups []SeedGroup `json:"groups"`
}

// SeedUser is a user in a Seed.
type SeedUser struct {
	ID               string         `json:"id,omitempty"`
	Status           string         `json:"status,omitempty"`
	Password         string         `json:"password,omitempty"`
	RecoveryQuestion string         `json:"recoveryQuestion,omitempty"`
	Created          time.Time      `json:"created,omitzero"`
	Activated        time.Time      `json:"activated,omitzero"`
	StatusChanged    time.Time      `json:"statusChanged,omitzero"`
	LastLogin        time.Time      `json:"lastLogin,omitzero"`
	LastUpdated      time.Time      `json:"lastUpdated,omitzero"`
	PasswordChanged  time.Time      `json:"passwordChanged,omitzero"`
	Profile          map[string]any `json:"profile"`
	Groups           []string       `json:"groups,omitempty"`
}

// SeedGroup is a group in a Seed.
type SeedGroup struct {
	ID                    string         `json:"id,omitempty"`
	Type                  string         `json:"type,omitempty"`
	Profile               map[string]any `json:"profile"`
	ObjectClass           []string       `json:"objectClass,omitempty"`
	SourceID              string         `json:"sourceId,omitempty"`
	Created               time.Time      `json:"created,omitzero"`
	LastUpdated           time.Time      `json:"lastUpdated,omitzero"`
	LastMembershipUpdated time.Time      `json:"lastMembershipUpdated,omitzero"`
}

//go:embed demo.json
var demoJSON []byte

// DemoSeed returns the demo org: about 50 users across departments and
// statuses, and 8 groups including Everyone (BUILT_IN) and an APP_GROUP.
// Its ids and timestamps are fixed. Each call returns a fresh copy.
func DemoSeed() *Seed {
	s, err := LoadSeed(bytes.NewReader(demoJSON))
	if err != nil {
		panic("sandbox: embedded demo.json: " + err.Error())
	}
	return s
}

// LoadSeed reads a Seed from JSON (the format is described at Seed).
func LoadSeed(r io.Reader) (*Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("sandbox: reading seed: %w", err)
	}
	if dec.More() {
		return nil, errors.New("sandbox: reading seed: trailing data after the JSON object")
	}
	return &s, nil
}

// GenerateSeed returns a synthetic org for load tests: nUsers ACTIVE users
// (user000001@example.com, ...) spread round-robin over nGroups OKTA_GROUPs
// ("Group 0001", ...), plus Everyone. Ids are generated when the org is
// created, deterministically.
func GenerateSeed(nUsers, nGroups int) *Seed {
	first := []string{"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Linus"}
	last := []string{"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman", "Torvalds"}
	depts := []string{"Engineering", "Sales", "Marketing", "Finance", "HR", "IT", "Support"}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Seed{Users: make([]SeedUser, 0, nUsers), Groups: make([]SeedGroup, 0, nGroups)}
	for i := range nGroups {
		s.Groups = append(s.Groups, SeedGroup{
			Profile: map[string]any{"name": fmt.Sprintf("Group %04d", i+1), "description": "Generated group"},
			Created: base,
		})
	}
	for i := range nUsers {
		login := fmt.Sprintf("user%06d@example.com", i+1)
		u := SeedUser{
			Status: statusActive,
			Profile: map[string]any{
				"login": login, "email": login,
				"firstName":  first[i%len(first)],
				"lastName":   last[(i/len(first))%len(last)],
				"department": depts[i%len(depts)],
			},
			Created: base.Add(time.Duration(i) * time.Second),
		}
		if nGroups > 0 {
			u.Groups = []string{s.Groups[i%nGroups].Profile["name"].(string)}
		}
		s.Users = append(s.Users, u)
	}
	return s
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC().Truncate(time.Second)
}

// msUTC truncates to the whole second, as Okta's timestamps are.
func msUTC(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func validID(id, prefix string) bool {
	if len(id) != 20 || !strings.HasPrefix(id, prefix) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !strings.ContainsRune(idAlphabet, rune(id[i])) {
			return false
		}
	}
	return true
}

// build turns the seed into an org state, validating it.
func (s *Seed) build(now time.Time) (*state, error) {
	now = now.UTC().Truncate(time.Second)
	st := newState(len(s.Users))
	schema, err := newUserSchema(s.Schema)
	if err != nil {
		return nil, err
	}
	st.schema = schema
	st.userIDs = make(sortedIDs, 0, len(s.Users))
	byName := make(map[string]*group)
	for i, sg := range s.Groups {
		g := &group{
			id:          sg.ID,
			typ:         sg.Type,
			profile:     cloneProfile(sg.Profile),
			objectClass: sg.ObjectClass,
			sourceID:    sg.SourceID,
		}
		if g.typ == "" {
			g.typ = groupTypeOkta
		}
		where := newSeedWhere("group", i, groupName(g.profile))
		switch g.typ {
		case groupTypeOkta, groupTypeApp:
		case groupTypeBuiltIn:
			if st.everyone != "" {
				return nil, fmt.Errorf("%s: only one BUILT_IN group (Everyone) is supported", where)
			}
		default:
			return nil, fmt.Errorf("%s: unknown type %q", where, g.typ)
		}
		if err := validateGroupProfile(g.profile); err != nil {
			return nil, fmt.Errorf("%s: %s", where, describe(err))
		}
		if g.id == "" {
			g.id = st.newGroupID()
		} else if !validID(g.id, "00g") {
			return nil, fmt.Errorf("%s: id %q is not 20 characters starting with 00g", where, g.id)
		}
		if _, dup := st.groups[g.id]; dup {
			return nil, fmt.Errorf("%s: duplicate id %s", where, g.id)
		}
		if _, dup := st.groupNames[foldKey(groupName(g.profile))]; dup {
			return nil, fmt.Errorf("%s: duplicate name", where)
		}
		if g.objectClass == nil {
			g.objectClass = []string{"okta:user_group"}
		}
		g.created = orNow(sg.Created, now)
		g.lastUpdated = orNow(sg.LastUpdated, g.created)
		g.lastMembershipUpdated = orNow(sg.LastMembershipUpdated, g.lastUpdated)
		st.groups[g.id] = g
		st.groupIDs = append(st.groupIDs, g.id)
		g.nameKey = foldKey(groupName(g.profile))
		st.groupNames[g.nameKey] = g.id
		byName[g.nameKey] = g
		if g.typ == groupTypeBuiltIn {
			st.everyone = g.id
		}
	}
	if st.everyone == "" {
		if _, taken := st.groupNames["everyone"]; taken {
			return nil, errors.New("sandbox: seed has a group named Everyone that is not BUILT_IN")
		}
		g := &group{
			id: st.newGroupID(), typ: groupTypeBuiltIn, created: now, lastUpdated: now, lastMembershipUpdated: now,
			profile:     map[string]any{"name": "Everyone", "description": "All users in your organization"},
			objectClass: []string{"okta:user_group"},
		}
		st.groups[g.id] = g
		st.groupIDs = append(st.groupIDs, g.id)
		g.nameKey = "everyone"
		st.groupNames[g.nameKey] = g.id
		st.everyone = g.id
	}
	slices.Sort(st.groupIDs)

	for i, su := range s.Users {
		login, _ := su.Profile["login"].(string)
		where := newSeedWhere("user", i, login)
		u := &user{
			id:        su.ID,
			status:    su.Status,
			profile:   cloneProfile(su.Profile),
			password:  su.Password,
			recoveryQ: su.RecoveryQuestion,
			groups:    make(map[string]struct{}, len(su.Groups)),
		}
		if u.status == "" {
			u.status = statusActive
		}
		if !validStatuses[u.status] {
			return nil, fmt.Errorf("%s: unknown status %q", where, u.status)
		}
		dropNulls(u.profile)
		if err := validateUserProfile(u.profile); err != nil {
			return nil, fmt.Errorf("%s: %s", where, describe(err))
		}
		if err := st.schema.check(u.profile, "profile"); err != nil {
			return nil, fmt.Errorf("%s: %s (declare custom attributes in the seed's \"schema\": {\"custom\": {...}})", where, describe(err))
		}
		if u.id == "" {
			u.id = st.newUserID()
		} else if !validID(u.id, "00u") {
			return nil, fmt.Errorf("%s: id %q is not 20 characters starting with 00u", where, u.id)
		}
		if _, dup := st.users[u.id]; dup {
			return nil, fmt.Errorf("%s: duplicate id %s", where, u.id)
		}
		if _, dup := st.logins[foldKey(login)]; dup {
			return nil, fmt.Errorf("%s: duplicate login", where)
		}
		activatedStatus := u.status != statusStaged && u.status != statusProvisioned && u.status != statusDeprovisioned
		if u.password == "" && activatedStatus {
			u.password = "\x00seeded"
		}
		u.created = orNow(su.Created, now)
		u.lastUpdated = orNow(su.LastUpdated, u.created)
		u.statusChanged = msUTC(su.StatusChanged)
		u.activated = msUTC(su.Activated)
		u.lastLogin = msUTC(su.LastLogin)
		u.passwordChanged = msUTC(su.PasswordChanged)
		if su.StatusChanged.IsZero() && u.status != statusStaged {
			u.statusChanged = u.created
		}
		if su.Activated.IsZero() && activatedStatus {
			u.activated = u.created
		}
		if su.PasswordChanged.IsZero() && u.password != "" {
			u.passwordChanged = u.created
		}
		st.users[u.id] = u
		st.userIDs = append(st.userIDs, u.id)
		st.indexUser(u)
		for _, ref := range su.Groups {
			g := st.groups[ref]
			if g == nil {
				g = byName[foldKey(ref)]
			}
			if g == nil {
				return nil, fmt.Errorf("%s: unknown group %q", where, ref)
			}
			if g.typ == groupTypeBuiltIn {
				continue // everyone is in Everyone
			}
			if _, dup := u.groups[g.id]; !dup {
				u.groups[g.id] = struct{}{}
				g.members = append(g.members, u.id)
			}
		}
	}
	slices.Sort(st.userIDs)
	for _, g := range st.groups {
		slices.Sort(g.members)
	}
	return st, nil
}

// seedWhere names a seed entry in errors (lazily: seeds can be large).
type seedWhere func() string

func (w seedWhere) String() string { return w() }

func newSeedWhere(kind string, i int, name string) seedWhere {
	return func() string { return fmt.Sprintf("sandbox: seed %s %d (%s)", kind, i, name) }
}

func describe(err error) string {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.summary + ": " + strings.Join(ae.causes, "; ")
	}
	return err.Error()
}
