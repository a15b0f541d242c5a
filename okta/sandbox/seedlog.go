package sandbox

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SeedLogEvent is a System Log event of a Seed: history that an
// investigation finds ("what happened to this user this week?"). Its fields
// follow Okta's LogEvent:
//
//	{
//	  "ago": "26h",                            // or "published": "2024-01-02T03:04:05.000Z"
//	  "eventType": "user.session.start",       // required: Okta's dotted event type
//	  "displayMessage": "User login to Okta",  // default: Okta's message for the event types the org writes itself (logMessage)
//	  "severity": "WARN",                      // DEBUG, INFO (default), WARN or ERROR
//	  "outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}, // default SUCCESS
//	  "actor": "ada@example.com",              // a seed user's login or id; default: the API token's owner
//	  "targets": ["ada@example.com", "Engineering"], // seed users (login or id) and groups (name or id)
//	  "client": {"ipAddress": "203.0.113.9",
//	             "geographicalContext": {"city": "Bucharest", "country": "Romania"}}
//	}
//
// "ago" (a duration such as "90m", "26h" or "3d") places the event before
// the org's creation, so that a seed's history stays recent: Okta returns
// no event older than 90 days, and one given by "published" gets there in
// time. An event may not be in the future.
type SeedLogEvent struct {
	Published      time.Time      `json:"published,omitzero"`
	Ago            string         `json:"ago,omitempty"`
	EventType      string         `json:"eventType"`
	DisplayMessage string         `json:"displayMessage,omitempty"`
	Severity       string         `json:"severity,omitempty"`
	Outcome        *SeedOutcome   `json:"outcome,omitempty"`
	Actor          string         `json:"actor,omitempty"`
	Targets        []string       `json:"targets,omitempty"`
	Client         *SeedLogClient `json:"client,omitempty"`
}

// SeedOutcome is a SeedLogEvent's outcome.
type SeedOutcome struct {
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// SeedLogClient is where a SeedLogEvent's request came from.
type SeedLogClient struct {
	IPAddress           string   `json:"ipAddress,omitempty"`
	GeographicalContext *SeedGeo `json:"geographicalContext,omitempty"`
}

// SeedGeo is a SeedLogClient's location.
type SeedGeo struct {
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// seedLogEvent is a seed's event, checked and resolved against the seed's
// users and groups. A nil actor is the API token's owner, known only when
// the org's day state is made (addSeeded).
type seedLogEvent struct {
	ev    *logEvent
	actor *logActor
}

// eventTypePattern is the shape of Okta's event types: lower-case dotted
// words, such as user.session.start or group.user_membership.add.
var eventTypePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
})

// parseAgo reads a SeedLogEvent's ago: a positive Go duration ("90m",
// "26h30m"), or a whole number of days ("3d").
func parseAgo(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 365 {
			return 0, fmt.Errorf("%q is not a number of days from 1 to 365, such as \"3d\"", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a time before the org's creation, such as \"90m\", \"26h\" or \"3d\"", s)
	}
	return d, nil
}

// buildLog checks the seed's System Log events and resolves their actors
// and targets against the users and groups st already holds.
func (s *Seed) buildLog(st *state, groupsByName map[string]*group, now time.Time) ([]seedLogEvent, error) {
	out := make([]seedLogEvent, 0, len(s.SystemLog))
	for i, se := range s.SystemLog {
		where := logSeedWhere(i, se.EventType)
		fail := func(field, format string, args ...any) error {
			return &SeedError{fmt.Errorf("%s: %s: %s", where, field, fmt.Sprintf(format, args...))}
		}
		if !eventTypePattern().MatchString(se.EventType) {
			if se.EventType == "" {
				return nil, fail("eventType", "required, such as \"user.session.start\"")
			}
			return nil, fail("eventType", "%q is not an Okta event type (lower-case dotted words, such as \"user.session.start\")", se.EventType)
		}
		var published time.Time
		switch {
		case se.Ago != "" && !se.Published.IsZero():
			return nil, fail("ago", "give published or ago, not both")
		case se.Ago != "":
			d, err := parseAgo(se.Ago)
			if err != nil {
				return nil, fail("ago", "%v", err)
			}
			published = now.Add(-d)
		case !se.Published.IsZero():
			published = se.Published.UTC().Truncate(time.Millisecond) // events keep milliseconds, as Okta's do
			if published.After(now) {
				return nil, fail("published", "%s is in the future", formatTime(published))
			}
		default:
			return nil, fail("published", "required (or ago, such as \"26h\")")
		}
		if se.DisplayMessage == "" && logMessage(se.EventType) == "" {
			return nil, fail("displayMessage", "required for this event type (the org knows the messages of the events it writes itself)")
		}
		switch se.Severity {
		case "", "DEBUG", "INFO", "WARN", "ERROR":
		default:
			return nil, fail("severity", "%q (want DEBUG, INFO, WARN or ERROR)", se.Severity)
		}
		result, reason := "SUCCESS", ""
		if o := se.Outcome; o != nil {
			switch o.Result {
			case "SUCCESS", "FAILURE", "SKIPPED", "ALLOW", "DENY", "CHALLENGE", "UNKNOWN":
			default:
				return nil, fail("outcome.result", "%q (want SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE or UNKNOWN)", o.Result)
			}
			result, reason = o.Result, o.Reason
		}
		r := seedLogEvent{ev: &logEvent{
			published: published, eventType: se.EventType, displayMessage: se.DisplayMessage, severity: se.Severity,
			outcome: result, reason: reason, txType: "WEB", debug: map[string]string{},
		}}
		if se.Actor != "" {
			u := st.seedUser(se.Actor)
			if u == nil {
				return nil, fail("actor", "%q is not a user of the seed (give a login or id)", se.Actor)
			}
			a := userActor(u)
			r.actor = &a
		}
		for j, ref := range se.Targets {
			if u := st.seedUser(ref); u != nil {
				r.ev.targets = append(r.ev.targets, userActor(u))
				continue
			}
			g := st.groups[ref]
			if g == nil {
				g = groupsByName[foldKey(ref)]
			}
			if g == nil {
				return nil, fail(fmt.Sprintf("targets[%d]", j), "%q is neither a user (login or id) nor a group (name or id) of the seed", ref)
			}
			r.ev.targets = append(r.ev.targets, groupTarget(g))
		}
		if c := se.Client; c != nil {
			if c.IPAddress != "" {
				ip, err := netip.ParseAddr(c.IPAddress)
				if err != nil {
					return nil, fail("client.ipAddress", "%q is not an IP address", c.IPAddress)
				}
				r.ev.client.IP = ip.String()
			}
			if g := c.GeographicalContext; g != nil {
				r.ev.client.Geo = &logGeo{City: g.City, State: g.State, Country: g.Country, PostalCode: g.PostalCode}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// logSeedWhere names the i-th event of a seed's systemLog in errors, with its
// event type when it has one: systemLog[3] (user.session.start).
func logSeedWhere(i int, eventType string) seedWhere {
	return func() string {
		if eventType == "" {
			return fmt.Sprintf("systemLog[%d]", i)
		}
		return fmt.Sprintf("systemLog[%d] (%s)", i, eventType)
	}
}

// peekEventType reads an event's eventType for error messages, if it can.
func peekEventType(raw json.RawMessage) string {
	var e struct {
		EventType string `json:"eventType"`
	}
	_ = json.Unmarshal(raw, &e)
	return e.EventType
}

// seedUser finds a user of a seed being built by id or login.
func (st *state) seedUser(ref string) *user {
	if u := st.users[ref]; u != nil {
		return u
	}
	if id, ok := st.logins[foldKey(ref)]; ok {
		return st.users[id]
	}
	return nil
}
