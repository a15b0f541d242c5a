package sandbox

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
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
//	      "groups": ["Engineering", "00g..."],   // group names or ids
//	      "factors": [                           // optional: enrolled MFA factors
//	        {"factorType": "sms", "profile": {"phoneNumber": "+15555550100"}},
//	        {"factorType": "push", "provider": "OKTA", "status": "ACTIVE",
//	         "created": "...", "profile": {"name": "Ada's iPhone", "platform": "IOS"}}
//	      ],
//	      "sessions": 2,                         // optional: live Okta sessions
//	      "adminRole": "READ_ONLY_ADMIN"         // optional: signed in, they may only read
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
//	  ],
//	  "systemLog": [                             // optional: System Log history, see SeedLogEvent
//	    {"ago": "26h", "eventType": "user.session.start", "actor": "ada@example.com",
//	     "outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"},
//	     "client": {"ipAddress": "203.0.113.9"}}
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
//
// Factors and sessions need a user who has been activated (not STAGED,
// PROVISIONED or DEPROVISIONED). A factor's factorType is one of Okta's
// (sms, call, email, push, token:software:totp, token:hardware, token,
// webauthn, u2f, question, web); provider defaults to OKTA (a Google
// Authenticator factor says "GOOGLE"), vendorName to the provider,
// status to ACTIVE (or PENDING_ACTIVATION), created to the user's creation.
// A factor profile holds what Okta shows, never secrets: a profile field
// named like a secret (secret, sharedSecret, answer, passCode, password) is
// an error.
//
// The System Log starts with the seed's systemLog events (see SeedLogEvent),
// and records what is done through the API from then on.
type Seed struct {
	// Schema declares custom user profile attributes; see SeedSchema.
	Schema *SeedSchema `json:"schema,omitempty"`
	Users  []SeedUser  `json:"users"`
	Groups []SeedGroup `json:"groups"`
	// SystemLog is the org's System Log history; see SeedLogEvent.
	SystemLog []SeedLogEvent `json:"systemLog,omitempty"`
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
	Factors          []SeedFactor   `json:"factors,omitempty"`
	Sessions         int            `json:"sessions,omitempty"`
	// AdminRole is the user's admin role when they sign in through the
	// org's authorization server: READ_ONLY_ADMIN may read and is refused
	// every change (403 E0000006) whatever the token's scopes; SUPER_ADMIN
	// or none acts with every right the scopes give.
	AdminRole string `json:"adminRole,omitempty"`
}

// SeedFactor is an enrolled MFA factor of a SeedUser.
type SeedFactor struct {
	FactorType string         `json:"factorType"`
	Provider   string         `json:"provider,omitempty"`
	VendorName string         `json:"vendorName,omitempty"`
	Status     string         `json:"status,omitempty"`
	Created    time.Time      `json:"created,omitzero"`
	Profile    map[string]any `json:"profile,omitempty"`
}

// secretFactorFields are factor profile fields that would hold a secret;
// a seed may not set them (the org never shows one).
var secretFactorFields = []string{"secret", "sharedsecret", "answer", "passcode", "password"}

// checkSeedDay validates a seed user's factors and sessions.
func checkSeedDay(where seedWhere, u *user, su *SeedUser) error {
	if len(su.Factors) == 0 && su.Sessions == 0 {
		return nil
	}
	switch u.status {
	case statusStaged, statusProvisioned, statusDeprovisioned:
		field := "factors"
		if len(su.Factors) == 0 {
			field = "sessions"
		}
		return &SeedError{fmt.Errorf("%s: %s: a %s user has never signed in, so has no factors or sessions", where, field, u.status)}
	}
	if su.Sessions < 0 || su.Sessions > 100 {
		return &SeedError{fmt.Errorf("%s: sessions: %d is not a number of sessions from 0 to 100", where, su.Sessions)}
	}
	for i, f := range su.Factors {
		at := fmt.Sprintf("%s: factors[%d]", where, i)
		if _, ok := factorPrefixes[f.FactorType]; !ok {
			known := make([]string, 0, len(factorPrefixes))
			for k := range factorPrefixes {
				known = append(known, k)
			}
			slices.Sort(known)
			return &SeedError{fmt.Errorf("%s.factorType: %q is not one of Okta's factor types (%s)", at, f.FactorType, strings.Join(known, ", "))}
		}
		switch f.Status {
		case "", "ACTIVE", "PENDING_ACTIVATION":
		default:
			return &SeedError{fmt.Errorf("%s.status: %q (want ACTIVE or PENDING_ACTIVATION)", at, f.Status)}
		}
		for k := range f.Profile {
			if slices.Contains(secretFactorFields, strings.ToLower(k)) {
				return &SeedError{fmt.Errorf("%s.profile.%s: factor profiles never hold secrets", at, k)}
			}
		}
	}
	return nil
}

// seedDay is what a seed gives a user beyond users and groups: factors and
// sessions, added to the org's day state when it is made.
type seedDay struct {
	userID   string
	factors  []SeedFactor
	sessions int
}

// addSeeded gives the seeded users their factors and sessions, and the
// org its System Log history.
func (d *dayState) addSeeded(st *state, now time.Time) {
	for _, sd := range st.seedDays {
		u := st.users[sd.userID]
		for _, sf := range sd.factors {
			f := &factor{
				id: d.newFactorID(st, sf.FactorType), typ: sf.FactorType, provider: sf.Provider, vendorName: sf.VendorName,
				status: sf.Status, created: msUTC(sf.Created), profile: cloneProfile(sf.Profile),
			}
			if f.provider == "" {
				f.provider = "OKTA"
			}
			if f.vendorName == "" {
				f.vendorName = f.provider
			}
			if f.status == "" {
				f.status = "ACTIVE"
			}
			if f.created.IsZero() {
				f.created = u.created
			}
			if f.profile == nil {
				f.profile = map[string]any{}
			}
			f.lastUpdated = f.created
			d.factors[u.id] = append(d.factors[u.id], f)
		}
		for k := range sd.sessions {
			created := now.Add(-time.Duration(k+1) * time.Hour).Truncate(time.Millisecond)
			id := st.randomID("102", 25) // Okta's session ids: "102" and 22 more
			d.sessions[u.id] = append(d.sessions[u.id], &session{id: id, created: created, expires: created.Add(12 * time.Hour), ip: "198.51.100." + strconv.Itoa(10+k)})
		}
	}
	st.seedDays = nil
	for _, se := range st.seedLog {
		e := se.ev
		e.actor = d.owner
		if se.actor != nil {
			e.actor = *se.actor
		}
		e.txID = st.randomID("", 27)
		e.debug["requestId"] = e.txID
		d.log.add(e)
	}
	st.seedLog = nil
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

// SeedError is a seed that cannot be loaded or used. Err names the record
// and the field at fault, as in `users[3] (ada@example.com): profile.email:
// The field cannot be left blank`, so that a mistake in a large seed file is
// found at once.
type SeedError struct{ Err error }

func (e *SeedError) Error() string { return "sandbox: seed: " + e.Err.Error() }

func (e *SeedError) Unwrap() error { return e.Err }

// LoadSeed reads a Seed from JSON (the format is described at Seed). Errors
// are *SeedError naming the record and field at fault.
func LoadSeed(r io.Reader) (*Seed, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &SeedError{fmt.Errorf("reading seed: %w", err)}
	}
	var s Seed
	err = decodeStrict(data, &s)
	if err == nil {
		return &s, nil
	}
	return nil, &SeedError{locateSeedError(data, err)}
}

// locateSeedError finds the user, group or top-level field that made
// decoding the seed fail, and says what is wrong with it.
func locateSeedError(data []byte, err error) error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return errors.New(jsonProblem(data, err, "an object with schema, users, groups and systemLog"))
	}
	for _, list := range []struct{ key, kind, name string }{{"users", "user", "login"}, {"groups", "group", "name"}, {"systemLog", "event", "eventType"}} {
		var records []json.RawMessage
		if json.Unmarshal(top[list.key], &records) != nil {
			continue // not a list: reported below
		}
		for i, raw := range records {
			var rerr error
			where := newSeedWhere(list.kind, i, peekName(raw, list.name))
			switch list.kind {
			case "user":
				_, rerr = decodeRecord[SeedUser](raw)
			case "group":
				_, rerr = decodeRecord[SeedGroup](raw)
			default:
				_, rerr = decodeRecord[SeedLogEvent](raw)
				where = logSeedWhere(i, peekEventType(raw))
			}
			if rerr != nil {
				return fmt.Errorf("%s: %w", where, rerr)
			}
		}
	}
	if _, ferr := decodeRecord[Seed](data); ferr != nil {
		if strings.HasSuffix(ferr.Error(), ": unknown field") {
			return fmt.Errorf("%s (want schema, users, groups and systemLog)", ferr)
		}
		return ferr
	}
	return errors.New(jsonProblem(data, err, "an object with schema, users, groups and systemLog"))
}

// decodeStrict decodes one JSON value, refusing unknown fields and trailing
// data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// decodeRecord decodes a seed user or group; when that fails, it decodes
// the fields one by one to name the one at fault.
func decodeRecord[T any](raw json.RawMessage) (T, error) {
	var v T
	err := decodeStrict(raw, &v)
	if err == nil {
		return v, nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return v, errors.New(jsonProblem(raw, err, "an object"))
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: fields[k]})
		var probe T
		if ferr := decodeStrict(one, &probe); ferr != nil {
			if k == "factors" {
				// A user's factors are records too: name the one at fault.
				var items []json.RawMessage
				if json.Unmarshal(fields[k], &items) == nil {
					for i, item := range items {
						if _, ierr := decodeRecord[SeedFactor](item); ierr != nil {
							return v, fmt.Errorf("factors[%d].%w", i, ierr)
						}
					}
				}
			}
			if strings.HasPrefix(ferr.Error(), "json: unknown field") {
				return v, fmt.Errorf("%s: unknown field", k)
			}
			return v, fmt.Errorf("%s: %s", k, jsonProblem(fields[k], ferr, "a valid value"))
		}
	}
	return v, errors.New(jsonProblem(raw, err, "an object"))
}

// jsonProblem says what is wrong with a JSON value in words.
func jsonProblem(data []byte, err error, want string) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tim *time.ParseError
	switch {
	case errors.As(err, &syn):
		line, col := 1, 1
		for _, b := range data[:max(0, min(int(syn.Offset)-1, len(data)))] { // Offset is just after the bad byte
			if b == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("not valid JSON at line %d, column %d: %v", line, col, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "not valid JSON: it ends too early"
	case errors.As(err, &typ):
		return fmt.Sprintf("want %s, got a JSON %s", kindOf(typ.Type.String()), typ.Value)
	case errors.As(err, &tim):
		return fmt.Sprintf("want a timestamp such as \"2024-01-02T03:04:05.000Z\", got %s", bytes.TrimSpace(data))
	}
	return fmt.Sprintf("want %s: %v", want, strings.TrimPrefix(err.Error(), "json: "))
}

func kindOf(goType string) string {
	switch goType {
	case "string":
		return "a string"
	case "[]string":
		return "a list of strings"
	case "map[string]interface {}", "map[string]any":
		return "an object"
	case "[]json.RawMessage":
		return "a list"
	}
	return "a " + goType
}

// peekName reads profile.<attr> of a record for error messages, if it can.
func peekName(raw json.RawMessage, attr string) string {
	var r struct {
		Profile map[string]any `json:"profile"`
	}
	_ = json.Unmarshal(raw, &r)
	s, _ := r.Profile[attr].(string)
	return s
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
				return nil, &SeedError{fmt.Errorf("%s: type: only one BUILT_IN group (Everyone) is supported", where)}
			}
		default:
			return nil, &SeedError{fmt.Errorf("%s: type: unknown type %q (want OKTA_GROUP, APP_GROUP or BUILT_IN)", where, g.typ)}
		}
		if err := validateGroupProfile(g.profile); err != nil {
			return nil, &SeedError{fmt.Errorf("%s: %s", where, describe(err))}
		}
		if g.id == "" {
			g.id = st.newGroupID()
		} else if !validID(g.id, "00g") {
			return nil, &SeedError{fmt.Errorf("%s: id: %q is not 20 characters starting with 00g", where, g.id)}
		}
		if _, dup := st.groups[g.id]; dup {
			return nil, &SeedError{fmt.Errorf("%s: id: duplicate id %s", where, g.id)}
		}
		if _, dup := st.groupNames[foldKey(groupName(g.profile))]; dup {
			return nil, &SeedError{fmt.Errorf("%s: profile.name: duplicate name", where)}
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
			return nil, &SeedError{errors.New("groups: the group named Everyone is not BUILT_IN (Okta's Everyone group is BUILT_IN: give it that type, or another name)")}
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
			return nil, &SeedError{fmt.Errorf("%s: status: unknown status %q", where, u.status)}
		}
		dropNulls(u.profile)
		if err := validateUserProfile(u.profile); err != nil {
			return nil, &SeedError{fmt.Errorf("%s: %s", where, describe(err))}
		}
		if names := st.schema.undeclared(u.profile); len(names) > 0 {
			return nil, &SeedError{fmt.Errorf("%s: profile.%s: not defined in the user schema (declare custom attributes in the seed's \"schema\": {\"custom\": {...}})", where, strings.Join(names, ", profile."))}
		}
		if u.id == "" {
			u.id = st.newUserID()
		} else if !validID(u.id, "00u") {
			return nil, &SeedError{fmt.Errorf("%s: id: %q is not 20 characters starting with 00u", where, u.id)}
		}
		if _, dup := st.users[u.id]; dup {
			return nil, &SeedError{fmt.Errorf("%s: id: duplicate id %s", where, u.id)}
		}
		if _, dup := st.logins[foldKey(login)]; dup {
			return nil, &SeedError{fmt.Errorf("%s: profile.login: duplicate login", where)}
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
		if err := checkSeedDay(where, u, &s.Users[i]); err != nil {
			return nil, err
		}
		switch su.AdminRole {
		case "", RoleSuperAdmin:
		case RoleReadOnlyAdmin:
			u.readOnlyAdmin = true
		default:
			return nil, &SeedError{fmt.Errorf("%s: adminRole: %q (want %s or %s)", where, su.AdminRole, RoleSuperAdmin, RoleReadOnlyAdmin)}
		}
		if len(su.Factors) > 0 || su.Sessions > 0 {
			st.seedDays = append(st.seedDays, seedDay{userID: u.id, factors: su.Factors, sessions: su.Sessions})
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
				return nil, &SeedError{fmt.Errorf("%s: groups: unknown group %q", where, ref)}
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
	if len(s.SystemLog) > maxLogEvents {
		return nil, &SeedError{fmt.Errorf("systemLog: %d events (at most %d: the org keeps no more)", len(s.SystemLog), maxLogEvents)}
	}
	if st.seedLog, err = s.buildLog(st, byName, now); err != nil {
		return nil, err
	}
	return st, nil
}

// seedWhere names a seed entry in errors (lazily: seeds can be large).
type seedWhere func() string

func (w seedWhere) String() string { return w() }

// newSeedWhere names the i-th user or group of a seed as the JSON does,
// with its login or name when it has one: users[3] (ada@example.com).
func newSeedWhere(kind string, i int, name string) seedWhere {
	return func() string {
		if name == "" {
			return fmt.Sprintf("%ss[%d]", kind, i)
		}
		return fmt.Sprintf("%ss[%d] (%s)", kind, i, name)
	}
}

// describe names the profile fields a validation error is about.
func describe(err error) string {
	var ae *apiError
	if errors.As(err, &ae) && len(ae.causes) > 0 {
		causes := make([]string, len(ae.causes))
		for i, c := range ae.causes {
			causes[i] = "profile." + c
		}
		return strings.Join(causes, "; ")
	}
	return err.Error()
}
