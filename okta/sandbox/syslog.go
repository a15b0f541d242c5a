package sandbox

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// The System Log (GET /api/v1/logs, reference admin-day §5): every write
// through the API appends LogEvents (afterWrite, hooked once in handle), and
// the demo org starts with a week of plausible history (demoday.go).

// maxLogEvents bounds the log: the oldest events are dropped beyond it, as
// Okta drops events older than its retention.
const maxLogEvents = 20000

// logRetention and logMaxSince: Okta returns nothing older than 90 days and
// refuses a since more than 180 days back.
const (
	logRetention = 90 * 24 * time.Hour
	logMaxSince  = 180 * 24 * time.Hour
)

// sandboxTokenID is the id of the org's API token (SSWS), reported as
// transaction.detail.requestApiTokenId.
const sandboxTokenID = "00Tsandboxapitoken01"

type logActor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

type logTarget = logActor

type logGeo struct {
	City       string  `json:"city,omitempty"`
	State      string  `json:"state,omitempty"`
	Country    string  `json:"country,omitempty"`
	PostalCode string  `json:"postalCode,omitempty"`
	Lat, Lon   float64 `json:"-"`
}

// logClient is where a request came from.
type logClient struct {
	IP       string
	UA       string
	OS       string
	Browser  string
	Device   string
	Zone     string
	ClientID string
	Geo      *logGeo
}

// logEvent is one System Log event.
type logEvent struct {
	seq            uint64
	uuid           string
	published      time.Time
	eventType      string
	displayMessage string
	severity       string
	actor          logActor
	client         logClient
	outcome        string // SUCCESS, FAILURE, ...
	reason         string
	targets        []logTarget
	txID           string
	txType         string // WEB or JOB
	tokenID        string // transaction.detail.requestApiTokenId
	sessionID      string // authenticationContext.externalSessionId
	debug          map[string]string
}

// key orders events: published time, then sequence.
func (e *logEvent) key() logKey { return logKey{e.published.UnixMilli(), e.seq} }

type logKey struct {
	ms  int64
	seq uint64
}

func (k logKey) less(o logKey) bool {
	return k.ms < o.ms || (k.ms == o.ms && k.seq < o.seq)
}

func (k logKey) String() string {
	return strconv.FormatInt(k.ms, 10) + "_" + strconv.FormatUint(k.seq, 10)
}

func parseLogKey(s string) (logKey, bool) {
	a, b, ok := strings.Cut(s, "_")
	if !ok {
		return logKey{}, false
	}
	ms, err1 := strconv.ParseInt(a, 10, 64)
	seq, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil || ms < 0 {
		return logKey{}, false
	}
	return logKey{ms, seq}, true
}

// sysLog holds the events in key order. Guarded by Org.mu.
type sysLog struct {
	events []*logEvent
	seq    uint64
}

// add inserts e in published order (writes usually append).
func (l *sysLog) add(e *logEvent) {
	l.seq++
	e.seq = l.seq
	if e.uuid == "" {
		e.uuid = uuidFor(e.seq, e.published)
	}
	if e.severity == "" {
		e.severity = "INFO"
	}
	if e.displayMessage == "" {
		e.displayMessage = logMessage(e.eventType)
	}
	n := len(l.events)
	if n == 0 || l.events[n-1].key().less(e.key()) {
		l.events = append(l.events, e)
	} else {
		i, _ := slices.BinarySearchFunc(l.events, e.key(), func(x *logEvent, k logKey) int {
			if x.key().less(k) {
				return -1
			}
			if k.less(x.key()) {
				return 1
			}
			return 0
		})
		l.events = slices.Insert(l.events, i, e)
	}
	if len(l.events) > maxLogEvents {
		l.events = slices.Delete(l.events, 0, len(l.events)-maxLogEvents)
	}
}

// uuidFor makes a version-1-looking UUID from the sequence and the time.
func uuidFor(seq uint64, t time.Time) string {
	ms := uint64(t.UnixMilli())
	return fmt.Sprintf("%08x-%04x-11%02x-%04x-%012x", uint32(ms), uint16(ms>>32), uint8(seq>>16), 0x8000|uint16(seq&0x3fff), seq*0x9e3779b1&0xffffffffffff)
}

// dayState is the org's state beyond users and groups: factors, sessions,
// the System Log. Guarded by Org.mu.
type dayState struct {
	factors  map[string][]*factor  // user id -> enrolled factors
	sessions map[string][]*session // user id -> live sessions
	grants   map[string]int        // user id -> OAuth tokens issued to the user
	log      sysLog
	owner    logActor // the API token's owner, the actor of SSWS calls
	off      bool     // no events (benchmarks measure the log's cost against it)

	// The demo org's factors, sessions and history are generated on the
	// first request (ensureDay), not in New: `okta-mcp --sandbox` starts
	// without paying for them, and the history ends when it is first read.
	demo bool
	once sync.Once
}

// ensureDay generates the demo org's admin-day data once, before the first
// request is served. The caller must not hold o.mu.
func (o *Org) ensureDay() {
	o.day.once.Do(func() {
		if !o.day.demo {
			return
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		o.day.seedDemo(o.st, o.now().UTC().Truncate(time.Millisecond))
	})
}

func newDayState(st *state) *dayState {
	d := &dayState{
		factors:  map[string][]*factor{},
		sessions: map[string][]*session{},
		grants:   map[string]int{},
	}
	d.owner = logActor{ID: "00usandboxtokenowner", Type: "User", AlternateID: "api-token-owner@sandbox.okta.com", DisplayName: "Sandbox API token owner"}
	// The demo org's Okta administrator owns its API token.
	if id, ok := st.logins[foldKey("william.jones@example.com")]; ok {
		d.owner = userActor(st.users[id])
	}
	return d
}

func userActor(u *user) logActor {
	login, _ := u.profile["login"].(string)
	return logActor{ID: u.id, Type: "User", AlternateID: login, DisplayName: displayName(u)}
}

func displayName(u *user) string {
	if s, _ := u.profile["displayName"].(string); s != "" {
		return s
	}
	f, _ := u.profile["firstName"].(string)
	l, _ := u.profile["lastName"].(string)
	return strings.TrimSpace(f + " " + l)
}

func groupTarget(g *group) logTarget {
	name := groupName(g.profile)
	return logTarget{ID: g.id, Type: "UserGroup", AlternateID: name, DisplayName: name}
}

// ---------------------------------------------------------------------------
// Events from writes

// userRef and groupRef remember what a write was about before it ran.
type userRef struct {
	actor  logActor
	status string
}

type preWrite struct {
	user   *userRef
	group  *logTarget
	member bool
}

// beforeWrite notes, before a write runs, what its events need to know: the
// user or group it names (a delete leaves nothing to read afterwards), its
// status and the membership a membership change is about.
func (o *Org) beforeWrite(rt *routeDef, params []string) *preWrite {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.day.off {
		return nil
	}
	st := o.st
	pre := &preWrite{}
	switch rt.template {
	case "/api/v1/users/{id}", "/api/v1/users/{id}/lifecycle/{op}":
		if u := st.findUser(params[0]); u != nil {
			pre.user = &userRef{actor: userActor(u), status: u.status}
		}
	case "/api/v1/users/{userId}/sessions":
		if u := st.users[params[0]]; u != nil {
			pre.user = &userRef{actor: userActor(u), status: u.status}
		}
	case "/api/v1/groups/{groupId}":
		if g := st.groups[params[0]]; g != nil {
			t := groupTarget(g)
			pre.group = &t
		}
	case "/api/v1/groups/{groupId}/users/{userId}":
		g, u := st.groups[params[0]], st.users[params[1]]
		if g != nil && u != nil {
			t := groupTarget(g)
			pre.group = &t
			pre.user = &userRef{actor: userActor(u), status: u.status}
			pre.member = st.isMember(g, u)
		}
	}
	return pre
}

// logMessage is Okta's displayMessage for the event types the org writes,
// and a few more a seed may use; "" for others. Every event the org writes
// takes its message from here (sysLog.add).
func logMessage(eventType string) string {
	switch eventType {
	case "user.session.start":
		return "User login to Okta"
	case "user.session.end":
		return "User logout from Okta"
	case "user.session.clear":
		return "Clear user session"
	case "user.authentication.auth_via_mfa":
		return "Authentication of user via MFA"
	case "user.account.lock":
		return "Max sign in attempts exceeded"
	case "user.account.update_profile":
		return "Update user profile for Okta"
	case "user.account.unlock_by_admin":
		return "Unlock user account by admin"
	case "user.account.reset_password":
		return "Reset password for Okta user"
	case "user.account.expire_password":
		return "Expire password for Okta user"
	case "user.lifecycle.create":
		return "Create Okta user"
	case "user.lifecycle.activate":
		return "Activate Okta user"
	case "user.lifecycle.reactivate":
		return "Reactivate Okta user"
	case "user.lifecycle.deactivate":
		return "Deactivate Okta user"
	case "user.lifecycle.suspend":
		return "Suspend Okta user"
	case "user.lifecycle.unsuspend":
		return "Unsuspend Okta user"
	case "user.lifecycle.delete.initiated":
		return "Delete Okta user initiated"
	case "user.lifecycle.delete.completed":
		return "Delete Okta user completed"
	case "user.mfa.factor.activate":
		return "Activate factor or authenticator enrollment method for user"
	case "user.mfa.factor.reset_all":
		return "Reset all factors for user"
	case "group.user_membership.add":
		return "Add user to group membership"
	case "group.user_membership.remove":
		return "Remove user from group membership"
	case "group.lifecycle.create":
		return "Create okta group"
	case "group.lifecycle.delete":
		return "Delete okta group"
	case "group.profile.update":
		return "Update group profile"
	case "app.oauth2.token.revoke.implicit.user":
		return "Tokens revoked for user"
	case "app.oauth2.token.grant.access_token", "app.oauth2.as.token.grant.access_token":
		return "OAuth2 access token is granted"
	}
	return ""
}

// lifecycleEvents maps lifecycle operations to event types.
var lifecycleEvents = map[string]string{
	"activate":                           "user.lifecycle.activate",
	"reactivate":                         "user.lifecycle.reactivate",
	"deactivate":                         "user.lifecycle.deactivate",
	"suspend":                            "user.lifecycle.suspend",
	"unsuspend":                          "user.lifecycle.unsuspend",
	"unlock":                             "user.account.unlock_by_admin",
	"reset_password":                     "user.account.reset_password",
	"expire_password":                    "user.account.expire_password",
	"expire_password_with_temp_password": "user.account.expire_password",
	"reset_factors":                      "user.mfa.factor.reset_all",
}

// afterWrite appends the System Log events of a successful write, with the
// request id as transaction id, and applies its side effects on sessions
// (deactivation and suspension end them; a deleted user loses everything).
func (o *Org) afterWrite(c *call, rt *routeDef, pre *preWrite, resp *response, reqID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	st, d := o.st, o.day
	base := logEvent{
		published: c.now,
		actor:     o.actorOf(c.actor),
		client:    clientOf(c.r, c.actor.clientID),
		outcome:   "SUCCESS",
		txID:      reqID,
		txType:    "WEB",
		debug:     map[string]string{"requestId": reqID, "requestUri": c.r.URL.Path, "url": c.r.URL.RequestURI()},
	}
	if base.actor.ID == d.owner.ID {
		base.tokenID = sandboxTokenID
	}
	emit := func(eventType string, targets ...logTarget) {
		e := base
		e.eventType, e.targets = eventType, targets
		d.log.add(&e)
	}
	created := func() string {
		var v struct {
			ID string `json:"id"`
		}
		if resp != nil && json.Unmarshal(resp.body, &v) == nil {
			return v.ID
		}
		return ""
	}
	method := c.r.Method
	switch rt.template {
	case "/api/v1/users":
		if u := st.users[created()]; u != nil {
			t := userActor(u)
			emit("user.lifecycle.create", t)
			if u.status == statusActive || u.status == statusProvisioned {
				emit("user.lifecycle.activate", t)
			}
		}
	case "/api/v1/users/{id}":
		if pre.user == nil {
			return
		}
		t := pre.user.actor
		switch {
		case method != http.MethodDelete:
			if pre.user.status != statusDeprovisioned {
				if u := st.users[t.ID]; u != nil {
					t = userActor(u)
				}
				emit("user.account.update_profile", t)
			}
		case pre.user.status != statusDeprovisioned:
			emit("user.lifecycle.deactivate", t)
			delete(d.sessions, t.ID)
		default:
			emit("user.lifecycle.delete.initiated", t)
			emit("user.lifecycle.delete.completed", t)
			delete(d.sessions, t.ID)
			delete(d.factors, t.ID)
			delete(d.grants, t.ID)
		}
	case "/api/v1/users/{id}/lifecycle/{op}":
		if pre.user == nil {
			return
		}
		op := c.params[1]
		ev, ok := lifecycleEvents[op]
		if !ok {
			return
		}
		switch op {
		case "deactivate", "suspend":
			delete(d.sessions, pre.user.actor.ID)
		}
		emit(ev, pre.user.actor)
	case "/api/v1/users/{userId}/sessions":
		if pre.user != nil {
			emit("user.session.clear", pre.user.actor)
			if c.query.Get("oauthTokens") == "true" {
				emit("app.oauth2.token.revoke.implicit.user", pre.user.actor)
			}
		}
	case "/api/v1/groups":
		if g := st.groups[created()]; g != nil {
			emit("group.lifecycle.create", groupTarget(g))
		}
	case "/api/v1/groups/{groupId}":
		if pre.group == nil {
			return
		}
		if method == http.MethodDelete {
			emit("group.lifecycle.delete", *pre.group)
		} else if g := st.groups[pre.group.ID]; g != nil {
			emit("group.profile.update", groupTarget(g))
		}
	case "/api/v1/groups/{groupId}/users/{userId}":
		if pre.group == nil || pre.user == nil {
			return
		}
		g, u := st.groups[pre.group.ID], st.users[pre.user.actor.ID]
		if g == nil || u == nil {
			return
		}
		now := st.isMember(g, u)
		switch {
		case method == http.MethodPut && !pre.member && now:
			emit("group.user_membership.add", pre.user.actor, *pre.group)
		case method == http.MethodDelete && pre.member && !now:
			emit("group.user_membership.remove", pre.user.actor, *pre.group)
		}
	}
}

// actorOf is who made a request: the signed-in user of a Bearer token,
// the service app of a client-credentials token, the API token's owner for
// SSWS.
func (o *Org) actorOf(p principal) logActor {
	switch p.typ {
	case "User", "PublicClientApp":
		return logActor{ID: p.id, Type: p.typ, AlternateID: p.alternateID, DisplayName: p.displayName}
	}
	return o.day.owner
}

func clientOf(r *http.Request, oauthClientID string) logClient {
	cl := logClient{UA: r.Header.Get("User-Agent"), Zone: "null", Device: "Unknown", ClientID: oauthClientID}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		cl.IP = host
	}
	cl.OS, cl.Browser = "Unknown", "UNKNOWN"
	return cl
}

// ---------------------------------------------------------------------------
// GET /api/v1/logs

// listLogEvents: GET /api/v1/logs with since, until, after, filter, q,
// limit and sortOrder as Okta documents them.
func listLogEvents(c *call) (*response, error) {
	q := c.query
	now := c.now
	until := now
	polling, untilGiven := false, q.Get("until") != ""
	sortOrder := q.Get("sortOrder")
	switch sortOrder {
	case "", "ASCENDING":
		sortOrder = "ASCENDING"
	case "DESCENDING":
	default:
		return nil, errValidation("sortOrder", "sortOrder: must be ASCENDING or DESCENDING, got "+strconv.Quote(sortOrder))
	}
	if v := q.Get("until"); v != "" {
		t, err := parseLogTime(v)
		if err != nil {
			return nil, errValidation("'until'", "until: The date format in your query is not recognized. Please enter dates using ISO8601 string format.")
		}
		until = t
	} else if sortOrder == "ASCENDING" {
		polling = true
	}
	// after carries the query's lower bound (Okta: since cannot be combined
	// with after; the cursor is opaque).
	var cursor *logKey
	var cursorSince time.Time
	if v := q.Get("after"); v != "" {
		if q.Get("since") != "" {
			return nil, errValidation("'since'", "since: cannot be combined with after; follow the next link, whose after carries the bounds")
		}
		k, sinceMs, ok := parseLogCursor(v)
		if !ok {
			return nil, errValidation("'after'", "after: invalid cursor; use the after value of the previous response's next link")
		}
		cursor, cursorSince = &k, time.UnixMilli(sinceMs).UTC()
	}
	since := until.Add(-7 * 24 * time.Hour)
	if cursor != nil {
		since = cursorSince
	}
	if v := q.Get("since"); v != "" {
		t, err := parseLogTime(v)
		if err != nil {
			return nil, errValidation("'since'", "since: The date format in your query is not recognized. Please enter dates using ISO8601 string format.")
		}
		if t.Before(now.Add(-logMaxSince)) {
			return nil, newAPIError(http.StatusBadRequest, "E0000053", "Invalid parameter: since must not be more than 180 days ago.")
		}
		since = t
	}
	if !since.Before(until) && untilGiven {
		return nil, errValidation("'since'", "since: must be before until")
	}
	if oldest := now.Add(-logRetention); since.Before(oldest) {
		since = oldest
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errValidation("'limit'", "limit: must be an integer between 0 and 1000, got "+strconv.Quote(v))
		}
		limit = min(n, 1000)
	}
	match := func(*logEvent) bool { return true }
	if f := q.Get("filter"); f != "" {
		m, err := compileLogFilter(f)
		if err != nil {
			return nil, err
		}
		match = m
	}
	if s := q.Get("q"); s != "" {
		m, err := compileLogQ(s)
		if err != nil {
			return nil, err
		}
		prev := match
		match = func(e *logEvent) bool { return prev(e) && m(e) }
	}

	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	evs := c.o.day.log.events
	var page []*logEvent
	more := false
	visit := func(e *logEvent) bool {
		if e.published.Before(since) || e.published.After(until) || untilGiven && e.published.Equal(until) {
			return true
		}
		if cursor != nil {
			k := e.key()
			if sortOrder == "ASCENDING" && !cursor.less(k) || sortOrder == "DESCENDING" && !k.less(*cursor) {
				return true
			}
		}
		if !match(e) {
			return true
		}
		if len(page) == limit {
			more = true
			return false
		}
		page = append(page, e)
		return true
	}
	if sortOrder == "ASCENDING" {
		for _, e := range evs {
			if !visit(e) {
				break
			}
		}
	} else {
		for i := len(evs) - 1; i >= 0; i-- {
			if !visit(evs[i]) {
				break
			}
		}
	}
	out := make([]map[string]any, len(page))
	for i, e := range page {
		out[i] = e.render()
	}
	resp, err := c.json(http.StatusOK, out)
	if err != nil {
		return nil, err
	}
	var next *logKey
	switch {
	case len(page) > 0 && (more || polling):
		k := page[len(page)-1].key()
		next = &k
	case polling && cursor != nil:
		next = cursor
	case polling:
		next = &logKey{now.UnixMilli(), c.o.day.log.seq}
	}
	resp.header = c.logLinks(next, since)
	return resp, nil
}

// logLinks are the Link headers of a System Log page: self, and next (when
// there is one) with the same query but since, which the cursor carries.
func (c *call) logLinks(next *logKey, since time.Time) http.Header {
	h := c.links("")
	if next != nil {
		q := c.r.URL.Query()
		q.Del("since")
		q.Set("after", next.String()+"_"+strconv.FormatInt(since.UnixMilli(), 10))
		h.Add("Link", "<"+c.base+c.r.URL.EscapedPath()+"?"+q.Encode()+`>; rel="next"`)
	}
	return h
}

// parseLogCursor reads an after cursor: "<ms>_<sequence>_<since ms>".
func parseLogCursor(s string) (logKey, int64, bool) {
	i := strings.LastIndexByte(s, '_')
	if i < 0 {
		return logKey{}, 0, false
	}
	k, ok := parseLogKey(s[:i])
	sinceMs, err := strconv.ParseInt(s[i+1:], 10, 64)
	if !ok || err != nil || sinceMs < 0 {
		return logKey{}, 0, false
	}
	return k, sinceMs, true
}

// parseLogTime reads an ISO 8601 timestamp (or a date).
func parseLogTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 time: %q", s)
}

// render is Okta's LogEvent. Okta sends null for unknown values; the spec
// declares none of these properties nullable, so absent values are left
// out instead.
func (e *logEvent) render() map[string]any {
	actor := map[string]any{"id": e.actor.ID, "type": e.actor.Type, "alternateId": e.actor.AlternateID, "displayName": e.actor.DisplayName}
	client := map[string]any{
		"userAgent": map[string]any{"rawUserAgent": e.client.UA, "os": e.client.OS, "browser": e.client.Browser},
		"zone":      e.client.Zone,
		"device":    e.client.Device,
	}
	if e.client.ClientID != "" {
		client["id"] = e.client.ClientID
	}
	ipChain := []any{}
	if e.client.IP != "" {
		client["ipAddress"] = e.client.IP
		ip := map[string]any{"ip": e.client.IP, "version": "V4"}
		if strings.Contains(e.client.IP, ":") {
			ip["version"] = "V6"
		}
		if g := e.client.Geo; g != nil {
			ip["geographicalContext"] = g.render()
		}
		ipChain = append(ipChain, ip)
	}
	if g := e.client.Geo; g != nil {
		client["geographicalContext"] = g.render()
	}
	outcome := map[string]any{"result": e.outcome}
	if e.reason != "" {
		outcome["reason"] = e.reason
	}
	targets := make([]any, len(e.targets))
	for i, t := range e.targets {
		targets[i] = map[string]any{"id": t.ID, "type": t.Type, "alternateId": t.AlternateID, "displayName": t.DisplayName}
	}
	detail := map[string]any{}
	if e.tokenID != "" {
		detail["requestApiTokenId"] = e.tokenID
	}
	debug := map[string]any{}
	for k, v := range e.debug {
		debug[k] = v
	}
	auth := map[string]any{"authenticationStep": 0}
	if e.sessionID != "" {
		auth["externalSessionId"] = e.sessionID
	}
	return map[string]any{
		"uuid":                  e.uuid,
		"published":             formatTime(e.published),
		"eventType":             e.eventType,
		"version":               "0",
		"severity":              e.severity,
		"displayMessage":        e.displayMessage,
		"actor":                 actor,
		"client":                client,
		"outcome":               outcome,
		"target":                targets,
		"transaction":           map[string]any{"type": e.txType, "id": e.txID, "detail": detail},
		"debugContext":          map[string]any{"debugData": debug},
		"authenticationContext": auth,
		"securityContext":       map[string]any{},
		"request":               map[string]any{"ipChain": ipChain},
	}
}

func (g *logGeo) render() map[string]any {
	m := map[string]any{"geolocation": map[string]any{"lat": g.Lat, "lon": g.Lon}}
	for k, v := range map[string]string{"city": g.City, "state": g.State, "country": g.Country, "postalCode": g.PostalCode} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// ---------------------------------------------------------------------------
// filter and q

// logFields are the fields a System Log filter may name; each returns the
// event's values (several for target.*). Built on first use.
var logFields = sync.OnceValue(func() map[string]func(*logEvent) []string {
	return map[string]func(*logEvent) []string{
		"uuid":                                    func(e *logEvent) []string { return []string{e.uuid} },
		"eventType":                               func(e *logEvent) []string { return []string{e.eventType} },
		"displayMessage":                          func(e *logEvent) []string { return []string{e.displayMessage} },
		"severity":                                func(e *logEvent) []string { return []string{e.severity} },
		"actor.id":                                func(e *logEvent) []string { return []string{e.actor.ID} },
		"actor.type":                              func(e *logEvent) []string { return []string{e.actor.Type} },
		"actor.alternateId":                       func(e *logEvent) []string { return []string{e.actor.AlternateID} },
		"actor.displayName":                       func(e *logEvent) []string { return []string{e.actor.DisplayName} },
		"target.id":                               func(e *logEvent) []string { return targetValues(e, func(t logTarget) string { return t.ID }) },
		"target.type":                             func(e *logEvent) []string { return targetValues(e, func(t logTarget) string { return t.Type }) },
		"target.alternateId":                      func(e *logEvent) []string { return targetValues(e, func(t logTarget) string { return t.AlternateID }) },
		"target.displayName":                      func(e *logEvent) []string { return targetValues(e, func(t logTarget) string { return t.DisplayName }) },
		"client.ipAddress":                        func(e *logEvent) []string { return []string{e.client.IP} },
		"client.zone":                             func(e *logEvent) []string { return []string{e.client.Zone} },
		"client.device":                           func(e *logEvent) []string { return []string{e.client.Device} },
		"client.id":                               func(e *logEvent) []string { return []string{e.client.ClientID} },
		"client.userAgent.os":                     func(e *logEvent) []string { return []string{e.client.OS} },
		"client.userAgent.browser":                func(e *logEvent) []string { return []string{e.client.Browser} },
		"client.userAgent.rawUserAgent":           func(e *logEvent) []string { return []string{e.client.UA} },
		"client.geographicalContext.city":         func(e *logEvent) []string { return geoValue(e, func(g *logGeo) string { return g.City }) },
		"client.geographicalContext.state":        func(e *logEvent) []string { return geoValue(e, func(g *logGeo) string { return g.State }) },
		"client.geographicalContext.country":      func(e *logEvent) []string { return geoValue(e, func(g *logGeo) string { return g.Country }) },
		"client.geographicalContext.postalCode":   func(e *logEvent) []string { return geoValue(e, func(g *logGeo) string { return g.PostalCode }) },
		"outcome.result":                          func(e *logEvent) []string { return []string{e.outcome} },
		"outcome.reason":                          func(e *logEvent) []string { return []string{e.reason} },
		"transaction.id":                          func(e *logEvent) []string { return []string{e.txID} },
		"transaction.type":                        func(e *logEvent) []string { return []string{e.txType} },
		"transaction.detail.requestApiTokenId":    func(e *logEvent) []string { return []string{e.tokenID} },
		"authenticationContext.externalSessionId": func(e *logEvent) []string { return []string{e.sessionID} },
	}
})

func targetValues(e *logEvent, f func(logTarget) string) []string {
	out := make([]string, len(e.targets))
	for i, t := range e.targets {
		out[i] = f(t)
	}
	return out
}

func geoValue(e *logEvent, f func(*logGeo) string) []string {
	if e.client.Geo == nil {
		return []string{""}
	}
	return []string{f(e.client.Geo)}
}

func errLogFilter(summary string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000053", summary)
}

// compileLogFilter compiles a SCIM filter over LogEvent fields: every
// operator but [ ]; eq/ne/gt/ge/lt/le compare exactly, sw/co/ew ignore case;
// a clause on target.* matches when any target matches (so two target.id eq
// clauses joined with and mean "has both targets").
func compileLogFilter(s string) (func(*logEvent) bool, error) {
	e, err := ParseExpression(s)
	if err != nil {
		return nil, errLogFilter(fmt.Sprintf("Invalid filter '%s': %v", s, err))
	}
	return compileLogExpr(e)
}

func compileLogExpr(e Expr) (func(*logEvent) bool, error) {
	switch x := e.(type) {
	case Logical:
		l, err := compileLogExpr(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := compileLogExpr(x.Right)
		if err != nil {
			return nil, err
		}
		if x.Op == "and" {
			return func(ev *logEvent) bool { return l(ev) && r(ev) }, nil
		}
		return func(ev *logEvent) bool { return l(ev) || r(ev) }, nil
	case Present:
		get, err := logField(x.Attr)
		if err != nil {
			return nil, err
		}
		return func(ev *logEvent) bool { return slices.ContainsFunc(get(ev), func(v string) bool { return v != "" }) }, nil
	case Compare:
		get, err := logField(x.Attr)
		if err != nil {
			return nil, err
		}
		if x.Op == "co" && (x.Attr == "debugContext.debugData.url" || x.Attr == "debugContext.debugData.requestUri") {
			return nil, newAPIError(http.StatusBadRequest, "E0000031", "The supplied combination of operator and field is not currently supported. Please try a different operator or field.")
		}
		want := x.Value.Str
		switch x.Value.Kind {
		case BoolValue:
			want = strconv.FormatBool(x.Value.Bool)
		case NullValue:
			want = ""
		}
		one := func(v string) bool { return compareLogValue(v, x.Op, want) }
		if x.Op == "ne" {
			return func(ev *logEvent) bool {
				return !slices.ContainsFunc(get(ev), func(v string) bool { return v == want })
			}, nil
		}
		return func(ev *logEvent) bool { return slices.ContainsFunc(get(ev), one) }, nil
	}
	return nil, errLogFilter("Invalid filter")
}

func logField(name string) (func(*logEvent) []string, error) {
	if name == "published" {
		return nil, errLogFilter("field is not valid: published (use since and until)")
	}
	if k, ok := strings.CutPrefix(name, "debugContext.debugData."); ok && k != "" {
		return func(e *logEvent) []string { return []string{e.debug[k]} }, nil
	}
	if f, ok := logFields()[name]; ok {
		return f, nil
	}
	return nil, errLogFilter("field is not valid: " + name)
}

func compareLogValue(v, op, want string) bool {
	switch op {
	case "eq":
		return v == want
	case "sw":
		return strings.HasPrefix(strings.ToLower(v), strings.ToLower(want))
	case "co":
		return strings.Contains(strings.ToLower(v), strings.ToLower(want))
	case "ew":
		return strings.HasSuffix(strings.ToLower(v), strings.ToLower(want))
	case "gt":
		return v > want
	case "ge":
		return v >= want
	case "lt":
		return v != "" && v < want
	case "le":
		return v != "" && v <= want
	}
	return false
}

// compileLogQ compiles the q keywords: at most 10, each at most 40
// characters; every keyword must match, ignoring case, a whole field value
// or one of its words (split at anything but letters and digits, so
// hyphenated values match by their parts).
func compileLogQ(s string) (func(*logEvent) bool, error) {
	kws := strings.Fields(s)
	if len(kws) > 10 {
		return nil, errValidation("'q'", "q: Freeform search cannot contain more than 10 items.")
	}
	for i, k := range kws {
		if len([]rune(k)) > 40 {
			return nil, errValidation("'q'", "q: Freeform search cannot contain items longer than 40 characters. Please shorten the following item: "+k)
		}
		kws[i] = strings.ToLower(k)
	}
	return func(e *logEvent) bool {
		words := map[string]bool{}
		add := func(v string) {
			if v == "" {
				return
			}
			v = strings.ToLower(v)
			words[v] = true
			for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				words[w] = true
			}
		}
		add(e.eventType)
		add(e.displayMessage)
		add(e.actor.ID)
		add(e.actor.AlternateID)
		add(e.actor.DisplayName)
		for _, t := range e.targets {
			add(t.ID)
			add(t.AlternateID)
			add(t.DisplayName)
		}
		add(e.client.IP)
		add(e.outcome)
		add(e.reason)
		if g := e.client.Geo; g != nil {
			add(g.City)
			add(g.State)
			add(g.Country)
		}
		for _, k := range kws {
			if !words[k] {
				return false
			}
		}
		return true
	}, nil
}
