package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of listUsers: a page holds at most 200 users (larger limits are
// clamped); q answers 10 by default and is not paged.
const (
	usersDefaultLimit = 200
	usersMaxLimit     = 200
	usersQLimit       = 10
	maxGroupIDs       = 20
)

type passwordIn struct {
	Value *string         `json:"value"`
	Hash  json.RawMessage `json:"hash"`
	Hook  json.RawMessage `json:"hook"`
}

type credentialsIn struct {
	Password         *passwordIn `json:"password"`
	RecoveryQuestion *struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"recovery_question"`
	Provider *struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"provider"`
}

type userTypeIn struct {
	ID string `json:"id"`
}

type createUserBody struct {
	Profile     map[string]any `json:"profile"`
	Credentials *credentialsIn `json:"credentials"`
	GroupIDs    []string       `json:"groupIds"`
	Type        *userTypeIn    `json:"type"`
}

type updateUserBody struct {
	Profile     map[string]any `json:"profile"`
	Credentials *credentialsIn `json:"credentials"`
	Type        *userTypeIn    `json:"type"`
}

func (c *call) userRender(single bool) renderOptions {
	ct := c.r.Header.Get("Content-Type")
	return renderOptions{
		base:            c.base,
		single:          single,
		omitCredentials: strings.Contains(ct, "okta-response=") && strings.Contains(ct, "omitCredentials"),
	}
}

// listUsers: GET /api/v1/users.
func listUsers(c *call) (*response, error) {
	search, filter, q := c.query.Get("search"), c.query.Get("filter"), c.query.Get("q")
	if search != "" && filter != "" {
		return nil, errSearchAndFilter()
	}
	match := func(*user) bool { return true }
	hideDeprovisioned := true
	switch {
	case search != "":
		p, err := compileUserExpr(search, modeSearch)
		if err != nil {
			return nil, err
		}
		match, hideDeprovisioned = p, false
	case filter != "":
		p, err := compileUserExpr(filter, modeFilter)
		if err != nil {
			return nil, err
		}
		match, hideDeprovisioned = p, false
	}
	if q != "" {
		// q is a people picker: prefix match, never DEPROVISIONED, not
		// paged (Okta ignores after).
		limit, err := c.pageLimit(usersQLimit, usersMaxLimit)
		if err != nil {
			return nil, err
		}
		prefix := strings.ToLower(q)
		inner := match
		match = func(u *user) bool {
			return u.status != statusDeprovisioned && inner(u) && userQMatch(u, prefix)
		}
		c.o.mu.RLock()
		defer c.o.mu.RUnlock()
		page, _ := c.o.st.scanUsers(c.o.st.userIDs, 0, limit, match)
		return c.userPage(page, "")
	}

	if hideDeprovisioned {
		match = func(u *user) bool { return u.status != statusDeprovisioned }
	}
	limit, err := c.pageLimit(usersDefaultLimit, usersMaxLimit)
	if err != nil {
		return nil, err
	}
	after, err := c.cursor()
	if err != nil {
		return nil, err
	}
	if sortBy := c.query.Get("sortBy"); sortBy != "" && search != "" {
		return c.sortedUserPage(sortBy, after, limit, match)
	}
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	ids := c.o.st.userIDs
	page, more := c.o.st.scanUsers(ids, ids.after(after), limit, match)
	next := ""
	if more {
		next = page[len(page)-1].id
	}
	return c.userPage(page, next)
}

// scanUsers collects up to limit matching users from ids[start:], and
// reports whether there is at least one more.
func (st *state) scanUsers(ids []string, start, limit int, match func(*user) bool) (page []*user, more bool) {
	page = make([]*user, 0, min(limit, 256))
	for i := start; i < len(ids); i++ {
		u := st.users[ids[i]]
		if u == nil || !match(u) {
			continue
		}
		if len(page) == limit {
			return page, true
		}
		page = append(page, u)
	}
	return page, false
}

// userPage renders a collection page; the caller holds the read lock.
func (c *call) userPage(page []*user, next string) (*response, error) {
	opts := c.userRender(false)
	b := make([]byte, 0, 1024*len(page)+2)
	b = append(b, '[')
	for i, u := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = u.appendJSON(b, opts)
	}
	b = append(b, ']')
	return &response{status: http.StatusOK, body: b, header: c.links(next)}, nil
}

func userQMatch(u *user, prefix string) bool {
	for _, a := range [...]string{"firstName", "lastName", "email"} {
		if s, ok := u.profile[a].(string); ok && strings.HasPrefix(strings.ToLower(s), prefix) {
			return true
		}
	}
	return false
}

// getUser: GET /api/v1/users/{id}.
func getUser(c *call) (*response, error) {
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	u := c.o.st.findUser(c.params[0])
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	return c.singleUser(u)
}

// singleUser renders one user with its lifecycle links, and its ETag when
// the user was read (recorded answers carry an ETag on GET
// /api/v1/users/{id} only, never on create, update or lifecycle answers);
// the caller holds the lock.
func (c *call) singleUser(u *user) (*response, error) {
	b := u.appendJSON(make([]byte, 0, 2048), c.userRender(true))
	resp := &response{status: http.StatusOK, body: b}
	if c.r.Method == http.MethodGet {
		resp.header = http.Header{"Etag": {u.etag()}}
	}
	return resp, nil
}

// createUser: POST /api/v1/users?activate=&nextLogin=.
func createUser(c *call) (*response, error) {
	activate, err := c.boolParam("activate", true)
	if err != nil {
		return nil, err
	}
	var body createUserBody
	if err := c.readBody(&body); err != nil {
		return nil, err
	}
	if len(body.GroupIDs) > maxGroupIDs {
		return nil, errTooManyGroups()
	}
	if body.Profile == nil {
		body.Profile = map[string]any{}
	}
	dropNulls(body.Profile)
	password, hasPassword, err := passwordFrom(body.Credentials)
	if err != nil {
		return nil, err
	}
	provider, err := createProvider(body.Credentials, hasPassword)
	if err != nil {
		return nil, err
	}
	if c.query.Get("nextLogin") == "changePassword" {
		if !activate {
			return nil, newAPIError(http.StatusBadRequest, "E0000125",
				`Could not create user. To create a user and expire their password immediately, "activate" must be true`,
				`Could not create user. To create a user and expire their password immediately, "activate" must be true`)
		}
		if !hasPassword {
			return nil, newAPIError(http.StatusBadRequest, "E0000124",
				"Could not create user. To create a user and expire their password immediately, a password must be specified",
				"Could not create user. To create a user and expire their password immediately, a password must be specified")
		}
	}
	if err := validateUserType(body.Type); err != nil {
		return nil, err
	}
	if err := c.o.checkSchema(body.Profile, "newUser"); err != nil {
		return nil, err
	}
	if err := validateUserProfile(body.Profile); err != nil {
		return nil, err
	}
	if hasPassword && password != importedPassword {
		if err := checkPasswordPolicy(password, body.Profile); err != nil {
			return nil, err
		}
	}

	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	login := body.Profile["login"].(string)
	if _, taken := st.logins[foldKey(login)]; taken {
		return nil, errDuplicateLogin()
	}
	groups := make([]*group, 0, len(body.GroupIDs))
	for _, gid := range body.GroupIDs {
		g := st.groups[gid]
		if g == nil {
			return nil, errGroupNotFound(gid)
		}
		if g.typ != groupTypeOkta {
			return nil, errAccessDenied()
		}
		groups = append(groups, g)
	}
	now := c.now
	u := &user{
		id:          st.newUserID(),
		created:     now,
		lastUpdated: now,
		profile:     body.Profile,
		groups:      make(map[string]struct{}),
	}
	if hasPassword {
		u.password = password
		u.passwordChanged = now
		if password == importedPassword {
			u.provider = providerImport
		}
	}
	if provider != nil {
		u.provider, u.providerName = provider.Type, provider.Name
	}
	if body.Credentials != nil && body.Credentials.RecoveryQuestion != nil {
		u.recoveryQ = body.Credentials.RecoveryQuestion.Question
	}
	// Real answers set activated and statusChanged to the creation time
	// whenever the user is activated on create, with or without a password.
	switch {
	case !activate:
		u.status = statusStaged
	case hasPassword || provider != nil:
		u.status, u.activated, u.statusChanged = statusActive, now, now
		if c.query.Get("nextLogin") == "changePassword" {
			u.status = statusPasswordExpired
		}
	default:
		u.status, u.activated, u.statusChanged = statusProvisioned, now, now
	}
	st.addUser(u)
	for _, g := range groups {
		st.addMember(g, u, now)
	}
	if g := st.groups[st.everyone]; g != nil {
		g.lastMembershipUpdated = now
	}
	return c.singleUser(u)
}

// passwordFrom extracts the password credential, if any. A hashed or hooked
// password counts as a password (the user can sign in).
func passwordFrom(cr *credentialsIn) (string, bool, error) {
	if cr == nil || cr.Password == nil {
		return "", false, nil
	}
	p := cr.Password
	if p.Value != nil {
		return *p.Value, true, nil
	}
	if len(p.Hash) > 0 && string(p.Hash) != "null" || len(p.Hook) > 0 && string(p.Hook) != "null" {
		return importedPassword, true, nil
	}
	return "", false, nil
}

// importedPassword stands for a hashed or hooked password: Okta answers
// with the IMPORT provider for such users.
const importedPassword = "\x00imported"

type providerIn = struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// createProvider reads credentials.provider of a create: OKTA (or none)
// is the default; FEDERATION and SOCIAL users authenticate through an
// identity provider and have no password or recovery question. It returns
// nil for OKTA.
func createProvider(cr *credentialsIn, hasPassword bool) (*providerIn, error) {
	if cr == nil || cr.Provider == nil {
		return nil, nil
	}
	p := cr.Provider
	switch p.Type {
	case "", providerOkta:
		return nil, nil
	case providerFederation, providerSocial:
		if hasPassword || cr.RecoveryQuestion != nil {
			return nil, errValidation("credentials", "credentials: A user with a "+p.Type+
				" provider cannot have a password or recovery question; it signs in through its identity provider.")
		}
		out := providerIn{Type: p.Type, Name: p.Name}
		if out.Name == "" {
			out.Name = p.Type
		}
		return &out, nil
	}
	return nil, errValidation("provider", "provider: The provider type "+p.Type+" cannot be set when creating a user (use OKTA, FEDERATION or SOCIAL)")
}

// dropNulls removes attributes set to null: Okta stores and shows them as
// unset.
func dropNulls(p map[string]any) {
	for k, v := range p {
		if v == nil {
			delete(p, k)
		}
	}
}

// checkSchema checks a profile against the org's user schema.
func (o *Org) checkSchema(p map[string]any, what string) error {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.st.schema.check(p, what)
}

func validateUserType(t *userTypeIn) error {
	if t == nil || t.ID == "" || t.ID == defaultUserTypeID {
		return nil
	}
	return errValidation("type", "type: The user type "+t.ID+" does not exist")
}

func errDuplicateLogin() *apiError {
	return errValidation("login", "login: An object with this field already exists in the current organization")
}

// validateUserProfile checks the base profile attributes as Okta's default
// user schema does: login, email, firstName and lastName are required; login
// and email are email addresses of 5 to 100 characters; names at most 50.
func validateUserProfile(p map[string]any) error {
	var causes []string
	bad := map[string]bool{}
	first := ""
	add := func(field, msg string) {
		if first == "" {
			first = field
		}
		bad[field] = true
		causes = append(causes, field+": "+msg)
	}
	str := func(name string) (string, bool) {
		s, ok := p[name].(string)
		return s, ok && strings.TrimSpace(s) != ""
	}
	for _, f := range [...]string{"login", "firstName", "lastName", "email"} {
		if v, present := p[f]; present && v != nil {
			if _, isString := v.(string); !isString {
				add(f, "The field must be a string")
				continue
			}
		}
		if _, ok := str(f); !ok {
			add(f, "The field cannot be left blank")
		}
	}
	login, _ := p["login"].(string)
	if !isEmail(login) {
		add("login", "Username must be in the form of an email address")
	}
	for _, f := range [...]string{"login", "email"} {
		if s, ok := str(f); ok {
			if n := utf8.RuneCountInString(s); n < 5 || n > 100 {
				add(f, "The field must be between 5 and 100 characters long")
			}
		}
	}
	if s, ok := str("email"); ok && !isEmail(s) {
		add("email", "Does not match required pattern")
	}
	if s, ok := str("secondEmail"); ok && !isEmail(s) {
		add("secondEmail", "Does not match required pattern")
	}
	for _, f := range [...]string{"firstName", "lastName"} {
		if s, ok := str(f); ok && utf8.RuneCountInString(s) > 50 {
			add(f, "The field cannot be longer than 50 characters")
		}
	}
	if s, ok := str("countryCode"); ok && utf8.RuneCountInString(s) > 2 {
		add("countryCode", "The field cannot be longer than 2 characters")
	}
	for k, v := range p {
		if s, ok := v.(string); ok && hasFourByteRune(s) {
			add(k, "The field contains characters that are not supported (4-byte UTF-8)")
		}
	}
	if len(causes) == 0 {
		return nil
	}
	// The summary names the first failing base attribute, login first.
	for _, f := range [...]string{"login", "firstName", "lastName", "email"} {
		if bad[f] {
			first = f
			break
		}
	}
	return errValidation(first, causes...)
}

func hasFourByteRune(s string) bool {
	for _, r := range s {
		if r > 0xFFFF {
			return true
		}
	}
	return false
}

// isEmail is a pragmatic check of RFC 5322 addr-spec: one @, a non-empty
// local part, a dotted domain, no spaces.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return false
	}
	if strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsAny(s, `"(),:;<>[\]`) {
		return false
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") {
		return false
	}
	return true
}

// checkPasswordPolicy applies the default Okta password policy: at least 8
// characters, a lower-case letter, an upper-case letter, a number, and no
// part of the username.
func checkPasswordPolicy(pw string, profile map[string]any) error {
	var lower, upper, digit bool
	for _, r := range pw {
		lower = lower || unicode.IsLower(r)
		upper = upper || unicode.IsUpper(r)
		digit = digit || unicode.IsDigit(r)
	}
	ok := utf8.RuneCountInString(pw) >= 8 && lower && upper && digit
	if ok {
		login, _ := profile["login"].(string)
		lpw := strings.ToLower(pw)
		for _, part := range strings.FieldsFunc(strings.ToLower(shortname(login)), func(r rune) bool {
			return r == '.' || r == '_' || r == '-' || r == '+'
		}) {
			if len(part) >= 4 && strings.Contains(lpw, part) {
				ok = false
			}
		}
	}
	if ok {
		return nil
	}
	return errValidation("password",
		"password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.")
}

// updateUser: POST /api/v1/users/{id}, a partial update: the profile
// attributes sent are merged into the profile (null removes one).
func updateUser(c *call) (*response, error) { return c.writeUser(false) }

// replaceUser: PUT /api/v1/users/{id}, a full replace of the profile.
func replaceUser(c *call) (*response, error) { return c.writeUser(true) }

func (c *call) writeUser(replace bool) (*response, error) {
	var body updateUserBody
	if err := c.readBody(&body); err != nil {
		return nil, err
	}
	password, hasPassword, err := passwordFrom(body.Credentials)
	if err != nil {
		return nil, err
	}
	if err := validateUserType(body.Type); err != nil {
		return nil, err
	}

	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	u := st.findUser(c.params[0])
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	if err := checkIfMatch(c.r, u); err != nil {
		return nil, err
	}
	if u.status == statusDeprovisioned {
		// Okta ignores profile updates to deactivated users (unless an
		// admin setting allows them).
		return c.singleUser(u)
	}
	profile := cloneProfile(u.profile)
	switch {
	case replace:
		if body.Profile == nil {
			return nil, errValidation("login", "login: The field cannot be left blank")
		}
		profile = body.Profile
		dropNulls(profile)
	default:
		for k, v := range body.Profile {
			if v == nil {
				delete(profile, k)
			} else {
				profile[k] = v
			}
		}
	}
	if err := st.schema.check(profile, "profile"); err != nil {
		return nil, err
	}
	if err := validateUserProfile(profile); err != nil {
		return nil, err
	}
	if hasPassword && password != importedPassword {
		if err := checkPasswordPolicy(password, profile); err != nil {
			return nil, err
		}
	}
	newKey := foldKey(profile["login"].(string))
	if id, taken := st.logins[newKey]; taken && id != u.id {
		return nil, errDuplicateLogin()
	}
	st.unindexUser(u)
	u.profile = profile
	st.indexUser(u)
	if hasPassword {
		u.password, u.passwordChanged = password, c.now
	}
	if body.Credentials != nil && body.Credentials.RecoveryQuestion != nil {
		u.recoveryQ = body.Credentials.RecoveryQuestion.Question
	}
	u.touch(c.now)
	return c.singleUser(u)
}

func (u *user) touch(now time.Time) {
	u.lastUpdated = now
	u.version++
}

// checkIfMatch applies an If-Match header against the user's ETag.
func checkIfMatch(r *http.Request, u *user) error {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return nil
	}
	tag := strings.TrimPrefix(v, "W/")
	if len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return errETagSyntax()
	}
	if strings.TrimPrefix(u.etag(), "W/") != tag {
		return errETagMismatch()
	}
	return nil
}

// deleteUser: DELETE /api/v1/users/{id}. The first delete of a user that is
// not DEPROVISIONED deactivates it; deleting a DEPROVISIONED user removes it
// and its memberships. Both answer 204.
func deleteUser(c *call) (*response, error) {
	if _, err := c.boolParam("sendEmail", false); err != nil {
		return nil, err
	}
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	u := st.findUser(c.params[0])
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	if u.status != statusDeprovisioned {
		u.setStatus(statusDeprovisioned, c.now)
		return noContent()
	}
	st.deleteUser(u, c.now)
	return noContent()
}

// listUserGroups: GET /api/v1/users/{id}/groups (not paged).
func listUserGroups(c *call) (*response, error) {
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	st := c.o.st
	u := st.findUser(c.params[0])
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	limit, err := c.pageLimit(200, 10000)
	if err != nil {
		return nil, err
	}
	after, err := c.cursor()
	if err != nil {
		return nil, err
	}
	groups := st.userGroups(u)
	start, _ := slices.BinarySearchFunc(groups, after, func(g *group, id string) int { return strings.Compare(g.id, id) })
	for start < len(groups) && after != "" && groups[start].id <= after {
		start++
	}
	groups = groups[start:]
	next := ""
	if len(groups) > limit {
		groups = groups[:limit]
		next = groups[limit-1].id
	}
	out := make([]groupJSON, len(groups))
	for i, g := range groups {
		out[i] = st.renderGroup(g, c.base, false)
	}
	resp, err := c.json(http.StatusOK, out)
	if err != nil {
		return nil, err
	}
	resp.header = c.links(next)
	return resp, nil
}
