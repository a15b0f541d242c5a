package sandbox

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// timeFormat is Okta's timestamp format: UTC with milliseconds, which are
// always 000 (timestamps are whole seconds).
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func nullableTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}

type link struct {
	Href   string `json:"href"`
	Method string `json:"method,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
}

// renderOptions say how much of a user to show.
type renderOptions struct {
	base            string // scheme://host for _links
	single          bool   // a single user: lifecycle links; collections get self only
	omitCredentials bool   // Content-Type okta-response=omitCredentials
}

// userLink is one entry of a single user's _links: a path below the
// user's own href ("" for the user itself) and the method.
type userLink struct{ rel, path, method string }

var (
	linkActivate       = userLink{"activate", "/lifecycle/activate", "POST"}
	linkReactivate     = userLink{"reactivate", "/lifecycle/reactivate", "POST"}
	linkDeactivate     = userLink{"deactivate", "/lifecycle/deactivate", "POST"}
	linkSuspend        = userLink{"suspend", "/lifecycle/suspend", "POST"}
	linkUnsuspend      = userLink{"unsuspend", "/lifecycle/unsuspend", "POST"}
	linkUnlock         = userLink{"unlock", "/lifecycle/unlock", "POST"}
	linkResetPassword  = userLink{"resetPassword", "/lifecycle/reset_password", "POST"}
	linkExpirePassword = userLink{"expirePassword", "/lifecycle/expire_password", "POST"}
	linkResetFactors   = userLink{"resetFactors", "/lifecycle/reset_factors", "POST"}
	linkChangePassword = userLink{"changePassword", "/credentials/change_password", "POST"}
	linkChangeRecovery = userLink{"changeRecoveryQuestion", "/credentials/change_recovery_question", "POST"}
	linkForgotPassword = userLink{"forgotPassword", "/credentials/forgot_password", "POST"}
	linkDelete         = userLink{"delete", "", "DELETE"}
)

// userLinks are the _links of a single user besides self, schema and type,
// by status, as recorded answers of real orgs show them (fidelity_test.go;
// RECOVERY and LOCKED_OUT, never recorded, offer their legal operations).
var userLinks = map[string][]userLink{
	statusStaged:          {linkActivate, linkResetFactors},
	statusProvisioned:     {linkReactivate, linkResetPassword, linkSuspend, linkResetFactors, linkDeactivate},
	statusActive:          {linkSuspend, linkResetPassword, linkExpirePassword, linkForgotPassword, linkChangePassword, linkChangeRecovery, linkResetFactors, linkDeactivate},
	statusPasswordExpired: {linkSuspend, linkResetPassword, linkExpirePassword, linkForgotPassword, linkChangePassword, linkChangeRecovery, linkResetFactors, linkDeactivate},
	statusRecovery:        {linkReactivate, linkResetPassword, linkExpirePassword, linkResetFactors, linkDeactivate},
	statusLockedOut:       {linkUnlock, linkResetPassword, linkExpirePassword, linkResetFactors, linkDeactivate},
	statusSuspended:       {linkUnsuspend, linkResetFactors, linkDeactivate},
	statusDeprovisioned:   {linkActivate, linkDelete}, // as the Identity Engine org (the Classic one adds resetFactors)
}

// passwordLinks need a password credential, which users of a FEDERATION
// or SOCIAL provider do not have.
var passwordLinks = map[string]bool{"expirePassword": true, "forgotPassword": true, "changePassword": true}

// defaultUserSchemaID is the id of the org's user schema (the schema link).
const defaultUserSchemaID = "oscsandboxdefault001"

// appendJSON appends the user as Okta renders it (the User schema). It is
// written by hand because user pages are the hot path of the org: a page of
// 200 users with encoding/json costs thousands of allocations.
func (u *user) appendJSON(b []byte, o renderOptions) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, u.id)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, u.status)
	b = append(b, `,"created":`...)
	b = appendTime(b, u.created)
	b = append(b, `,"activated":`...)
	b = appendTime(b, u.activated)
	b = append(b, `,"statusChanged":`...)
	b = appendTime(b, u.statusChanged)
	b = append(b, `,"lastLogin":`...)
	b = appendTime(b, u.lastLogin)
	b = append(b, `,"lastUpdated":`...)
	b = appendTime(b, u.lastUpdated)
	b = append(b, `,"passwordChanged":`...)
	b = appendTime(b, u.passwordChanged)
	// transitioningToStatus is sent only while an asynchronous transition
	// runs, which never happens here.
	b = append(b, `,"type":{"id":"`+defaultUserTypeID+`"},"profile":`...)
	b = appendProfile(b, u.profile)
	if !o.omitCredentials {
		b = append(b, `,"credentials":{`...)
		if u.password != "" {
			b = append(b, `"password":{},`...)
		}
		if u.recoveryQ != "" {
			b = append(b, `"recovery_question":{"question":`...)
			b = appendJSONString(b, u.recoveryQ)
			b = append(b, `},`...)
		}
		b = append(b, `"provider":{"type":`...)
		b = appendJSONString(b, u.providerType())
		b = append(b, `,"name":`...)
		b = appendJSONString(b, u.providerLabel())
		b = append(b, `}}`...)
	}
	self := func(b []byte) []byte {
		b = append(b, '"')
		b = appendEscaped(b, o.base)
		b = append(b, "/api/v1/users/"...)
		return appendEscaped(b, u.id)
	}
	b = append(b, `,"_links":{"self":{"href":`...)
	b = append(self(b), `"}`...)
	if o.single {
		federated := u.providerType() == providerFederation || u.providerType() == providerSocial
		for _, l := range userLinks[u.status] {
			if federated && passwordLinks[l.rel] {
				continue
			}
			b = append(b, `,"`+l.rel+`":{"href":`...)
			b = self(b)
			b = append(b, l.path+`","method":"`+l.method+`"}`...)
		}
		b = append(b, `,"schema":{"href":"`...)
		b = appendEscaped(b, o.base)
		b = append(b, `/api/v1/meta/schemas/user/`+defaultUserSchemaID+`"},"type":{"href":"`...)
		b = appendEscaped(b, o.base)
		b = append(b, `/api/v1/meta/types/user/`+defaultUserTypeID+`"}`...)
	}
	return append(b, "}}"...)
}

// Credential providers.
const (
	providerOkta       = "OKTA"
	providerImport     = "IMPORT"
	providerFederation = "FEDERATION"
	providerSocial     = "SOCIAL"
)

func (u *user) providerType() string {
	if u.provider == "" {
		return providerOkta
	}
	return u.provider
}

func (u *user) providerLabel() string {
	if u.providerName == "" {
		return u.providerType()
	}
	return u.providerName
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, timeFormat)
	return append(b, '"')
}

// alwaysInProfile are the attributes real answers always carry, null when
// unset (fidelity_test.go); other unset attributes are absent.
var alwaysInProfile = [...]string{"mobilePhone", "secondEmail"}

// appendProfile appends a profile object with sorted keys, as
// encoding/json would.
func appendProfile(b []byte, p map[string]any) []byte {
	var buf [32]string
	keys := buf[:0]
	for k := range p {
		keys = append(keys, k)
	}
	for _, k := range alwaysInProfile {
		if _, ok := p[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendValue(b, p[k])
	}
	return append(b, '}')
}

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case json.Number:
		if v == "" {
			return append(b, '0')
		}
		return append(b, v...)
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, enc...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters are escaped, invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends the JSON escaping of s, without quotes.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// etag is the user's weak entity tag; it changes whenever the user does.
func (u *user) etag() string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d/%d", u.id, u.version, u.lastUpdated.UnixNano())
	return fmt.Sprintf(`W/"%016x"`, h.Sum64())
}

type groupStatsJSON struct {
	UsersCount             int  `json:"usersCount"`
	AppsCount              int  `json:"appsCount"`
	GroupPushMappingsCount int  `json:"groupPushMappingsCount"`
	HasAdminPrivilege      bool `json:"hasAdminPrivilege"`
}

type groupJSON struct {
	ID                    string         `json:"id"`
	Created               string         `json:"created"`
	LastUpdated           string         `json:"lastUpdated"`
	LastMembershipUpdated string         `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               map[string]any `json:"profile"`
	Embedded              map[string]any `json:"_embedded,omitempty"`
	Links                 map[string]any `json:"_links"`
}

func (st *state) renderGroup(g *group, base string, stats bool) groupJSON {
	// Real answers carry logo, users and apps, and no self link
	// (fidelity_test.go). Okta serves the logos from its CDN with content
	// hashes in their names; here they are under the org's own host.
	self := base + "/api/v1/groups/" + g.id
	logo := "okta"
	if g.typ == groupTypeApp {
		logo = "active_directory"
	}
	links := map[string]any{
		"users": link{Href: self + "/users"},
		"apps":  link{Href: self + "/apps"},
		"logo": []link{
			{Name: "medium", Href: base + "/assets/img/logos/groups/odyssey/" + logo + "-medium.png", Type: "image/png"},
			{Name: "large", Href: base + "/assets/img/logos/groups/odyssey/" + logo + "-large.png", Type: "image/png"},
		},
	}
	if g.sourceID != "" {
		links["source"] = link{Href: base + "/api/v1/apps/" + g.sourceID}
	}
	profile := g.profile
	if _, ok := profile["description"]; !ok {
		// Real answers always carry description, null when unset
		// (fidelity_test.go).
		profile = make(map[string]any, len(g.profile)+1)
		for k, v := range g.profile {
			profile[k] = v
		}
		profile["description"] = nil
	}
	j := groupJSON{
		ID:                    g.id,
		Created:               formatTime(g.created),
		LastUpdated:           formatTime(g.lastUpdated),
		LastMembershipUpdated: formatTime(g.lastMembershipUpdated),
		ObjectClass:           g.objectClass,
		Type:                  g.typ,
		Profile:               profile,
		Links:                 links,
	}
	if stats {
		n := len(g.members)
		if g.id == st.everyone {
			n = len(st.users)
		}
		j.Embedded = map[string]any{"stats": groupStatsJSON{UsersCount: n}}
	}
	return j
}
