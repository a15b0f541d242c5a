package sandbox

import (
	"fmt"
	"hash/fnv"
	"time"
)

// timeFormat is Okta's timestamp format: UTC with milliseconds.
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

type userTypeJSON struct {
	ID string `json:"id"`
}

type providerJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

type recoveryJSON struct {
	Question string `json:"question"`
}

type credentialsJSON struct {
	Password         *struct{}     `json:"password,omitempty"`
	RecoveryQuestion *recoveryJSON `json:"recovery_question,omitempty"`
	Provider         providerJSON  `json:"provider"`
}

type userJSON struct {
	ID                    string           `json:"id"`
	Status                string           `json:"status"`
	Created               string           `json:"created"`
	Activated             *string          `json:"activated"`
	StatusChanged         *string          `json:"statusChanged"`
	LastLogin             *string          `json:"lastLogin"`
	LastUpdated           string           `json:"lastUpdated"`
	PasswordChanged       *string          `json:"passwordChanged"`
	TransitioningToStatus *string          `json:"transitioningToStatus"`
	Type                  userTypeJSON     `json:"type"`
	Profile               map[string]any   `json:"profile"`
	Credentials           *credentialsJSON `json:"credentials,omitempty"`
	Links                 map[string]any   `json:"_links"`
}

// renderOptions say how much of a user to show.
type renderOptions struct {
	base            string // scheme://host for _links
	single          bool   // a single user: lifecycle links; collections get self only
	omitCredentials bool   // Content-Type okta-response=omitCredentials
}

// lifecycleLinks are the lifecycle operations legal in each status (the
// _links of a single user show only those).
var lifecycleLinks = []struct {
	rel, op string
	legal   func(status string) bool
}{
	{"activate", "activate", canActivate},
	{"reactivate", "reactivate", canReactivate},
	{"suspend", "suspend", func(s string) bool { return s == statusActive }},
	{"unsuspend", "unsuspend", func(s string) bool { return s == statusSuspended }},
	{"unlock", "unlock", func(s string) bool { return s == statusLockedOut }},
	{"resetPassword", "reset_password", canResetPassword},
	{"expirePassword", "expire_password", canExpirePassword},
	{"deactivate", "deactivate", func(s string) bool { return s != statusDeprovisioned }},
}

func (u *user) render(o renderOptions) userJSON {
	self := o.base + "/api/v1/users/" + u.id
	links := map[string]any{"self": link{Href: self}}
	if o.single {
		for _, l := range lifecycleLinks {
			if l.legal(u.status) {
				links[l.rel] = link{Href: self + "/lifecycle/" + l.op, Method: "POST"}
			}
		}
	}
	j := userJSON{
		ID:              u.id,
		Status:          u.status,
		Created:         formatTime(u.created),
		Activated:       nullableTime(u.activated),
		StatusChanged:   nullableTime(u.statusChanged),
		LastLogin:       nullableTime(u.lastLogin),
		LastUpdated:     formatTime(u.lastUpdated),
		PasswordChanged: nullableTime(u.passwordChanged),
		Type:            userTypeJSON{ID: defaultUserTypeID},
		Profile:         u.profile,
		Links:           links,
	}
	if !o.omitCredentials {
		c := &credentialsJSON{Provider: providerJSON{Type: "OKTA", Name: "OKTA"}}
		if u.password != "" {
			c.Password = &struct{}{}
		}
		if u.recoveryQ != "" {
			c.RecoveryQuestion = &recoveryJSON{Question: u.recoveryQ}
		}
		j.Credentials = c
	}
	return j
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
	self := base + "/api/v1/groups/" + g.id
	logo := "okta"
	if g.typ == groupTypeApp {
		logo = "active_directory"
	}
	links := map[string]any{
		"self":  link{Href: self},
		"users": link{Href: self + "/users"},
		"apps":  link{Href: self + "/apps"},
		"logo": []link{
			{Name: "medium", Href: base + "/img/logos/groups/" + logo + "-medium.png", Type: "image/png"},
			{Name: "large", Href: base + "/img/logos/groups/" + logo + "-large.png", Type: "image/png"},
		},
	}
	if g.sourceID != "" {
		links["source"] = link{Href: base + "/api/v1/apps/" + g.sourceID}
	}
	j := groupJSON{
		ID:                    g.id,
		Created:               formatTime(g.created),
		LastUpdated:           formatTime(g.lastUpdated),
		LastMembershipUpdated: formatTime(g.lastMembershipUpdated),
		ObjectClass:           g.objectClass,
		Type:                  g.typ,
		Profile:               g.profile,
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
