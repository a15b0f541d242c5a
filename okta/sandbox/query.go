package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// queryMode is the parameter an expression came in: search (Okta's search
// index: any profile attribute, case-insensitive values) or filter (a few
// attributes, eq mostly, case-sensitive values).
type queryMode int

const (
	modeSearch queryMode = iota
	modeFilter
)

// attrKind is how an attribute's values compare.
type attrKind int

const (
	kindString attrKind = iota // ids, status, type: strings
	kindTime                   // timestamps: compared as instants
	kindAny                    // profile attributes: whatever JSON holds
)

// attrSpec describes one queryable attribute of a resource.
type attrSpec[T any] struct {
	kind attrKind
	get  func(T) any // string, time.Time (zero = null) or a JSON value
}

// resourceQuery is what a resource (users, groups) allows in each mode.
type resourceQuery[T any] struct {
	top          map[string]attrSpec[T] // top-level attributes (search)
	profile      func(T) map[string]any
	coAttrs      map[string]bool            // search: co only on these
	filterOps    map[string]map[string]bool // filter: attribute -> operators
	resourceName string
}

var userQuery = resourceQuery[*user]{
	top: map[string]attrSpec[*user]{
		"id":              {kindString, func(u *user) any { return u.id }},
		"status":          {kindString, func(u *user) any { return u.status }},
		"created":         {kindTime, func(u *user) any { return u.created }},
		"activated":       {kindTime, func(u *user) any { return u.activated }},
		"statusChanged":   {kindTime, func(u *user) any { return u.statusChanged }},
		"lastUpdated":     {kindTime, func(u *user) any { return u.lastUpdated }},
		"lastLogin":       {kindTime, func(u *user) any { return u.lastLogin }},
		"passwordChanged": {kindTime, func(u *user) any { return u.passwordChanged }},
		"type.id":         {kindString, func(u *user) any { return defaultUserTypeID }},
	},
	profile: func(u *user) map[string]any { return u.profile },
	coAttrs: map[string]bool{"profile.firstName": true, "profile.lastName": true, "profile.email": true, "profile.login": true},
	filterOps: map[string]map[string]bool{
		"status":            {"eq": true},
		"id":                {"eq": true},
		"profile.login":     {"eq": true},
		"profile.email":     {"eq": true},
		"profile.firstName": {"eq": true},
		"profile.lastName":  {"eq": true},
		"lastUpdated":       {"eq": true, "gt": true, "ge": true, "lt": true, "le": true},
	},
	resourceName: "users",
}

var groupQuery = resourceQuery[*group]{
	top: map[string]attrSpec[*group]{
		"id":                    {kindString, func(g *group) any { return g.id }},
		"type":                  {kindString, func(g *group) any { return g.typ }},
		"created":               {kindTime, func(g *group) any { return g.created }},
		"lastUpdated":           {kindTime, func(g *group) any { return g.lastUpdated }},
		"lastMembershipUpdated": {kindTime, func(g *group) any { return g.lastMembershipUpdated }},
		"source.id":             {kindString, func(g *group) any { return g.sourceID }},
	},
	profile: func(g *group) map[string]any { return g.profile },
	coAttrs: map[string]bool{"profile.name": true, "profile.description": true},
	filterOps: map[string]map[string]bool{
		"id":                    {"eq": true},
		"type":                  {"eq": true},
		"lastUpdated":           {"eq": true, "gt": true, "lt": true},
		"lastMembershipUpdated": {"eq": true, "gt": true, "lt": true},
	},
	resourceName: "groups",
}

func compileUserExpr(s string, mode queryMode) (func(*user) bool, error) {
	return compileQuery(s, mode, &userQuery)
}

func compileGroupExpr(s string, mode queryMode) (func(*group) bool, error) {
	return compileQuery(s, mode, &groupQuery)
}

func compileQuery[T any](s string, mode queryMode, rq *resourceQuery[T]) (func(T) bool, error) {
	e, err := ParseExpression(s)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, errInvalidSearch(se.Error())
		}
		return nil, errInvalidSearch(err.Error())
	}
	return compileExpr(e, mode, rq)
}

func compileExpr[T any](e Expr, mode queryMode, rq *resourceQuery[T]) (func(T) bool, error) {
	switch e := e.(type) {
	case Logical:
		l, err := compileExpr(e.Left, mode, rq)
		if err != nil {
			return nil, err
		}
		r, err := compileExpr(e.Right, mode, rq)
		if err != nil {
			return nil, err
		}
		if e.Op == "and" {
			return func(x T) bool { return l(x) && r(x) }, nil
		}
		return func(x T) bool { return l(x) || r(x) }, nil
	case Present:
		get, _, err := rq.attribute(e.Attr, "pr", mode)
		if err != nil {
			return nil, err
		}
		return func(x T) bool { return present(get(x)) }, nil
	case Compare:
		return compileCompare(e, mode, rq)
	}
	return nil, errInvalidSearch("unknown expression")
}

// attribute resolves an attribute name for op in mode.
func (rq *resourceQuery[T]) attribute(name, op string, mode queryMode) (func(T) any, attrKind, error) {
	if mode == modeFilter {
		ops, ok := rq.filterOps[name]
		if !ok {
			return nil, 0, errUnsupportedFilter(fmt.Sprintf("filter does not support the attribute %s on %s (use search)", name, rq.resourceName))
		}
		if !ops[op] {
			return nil, 0, errUnsupportedFilter(fmt.Sprintf("filter does not support the operator %s on %s (use search)", op, name))
		}
	}
	if spec, ok := rq.top[name]; ok {
		return spec.get, spec.kind, nil
	}
	if key, ok := strings.CutPrefix(name, "profile."); ok && key != "" && !strings.Contains(key, ".") {
		profile := rq.profile
		return func(x T) any { return profile(x)[key] }, kindAny, nil
	}
	return nil, 0, errInvalidSearch(fmt.Sprintf("unknown attribute %s for %s", name, rq.resourceName))
}

func compileCompare[T any](c Compare, mode queryMode, rq *resourceQuery[T]) (func(T) bool, error) {
	switch c.Op {
	case "ne":
		return nil, errInvalidSearch("the ne operator is not supported; use (attr lt \"v\" or attr gt \"v\")")
	case "ew":
		return nil, errInvalidSearch("the ew operator is not supported for " + rq.resourceName)
	case "co":
		if mode == modeSearch && !rq.coAttrs[c.Attr] {
			return nil, errInvalidSearch("the co operator is only supported on " + strings.Join(sortedKeys(rq.coAttrs), ", "))
		}
	}
	get, kind, err := rq.attribute(c.Attr, c.Op, mode)
	if err != nil {
		return nil, err
	}
	fold := mode == modeSearch
	if kind == kindTime {
		if c.Value.Kind != StringValue {
			return nil, errInvalidDate()
		}
		t, err := parseOktaTime(c.Value.Str)
		if err != nil {
			return nil, errInvalidDate()
		}
		if c.Op == "sw" || c.Op == "co" {
			return nil, errInvalidSearch(fmt.Sprintf("the %s operator does not apply to the date %s", c.Op, c.Attr))
		}
		return func(x T) bool {
			v, _ := get(x).(time.Time)
			if v.IsZero() {
				return false
			}
			return compareOrdered(v.Compare(t), c.Op)
		}, nil
	}
	want := c.Value
	if fold && want.Kind == StringValue {
		want.Str = strings.ToLower(want.Str)
	}
	return func(x T) bool { return matchValue(get(x), c.Op, want, fold) }, nil
}

func errInvalidDate() *apiError {
	return newAPIError(400, "E0000030",
		"Bad request. Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, e.g. 2013-01-01T12:00:00.000-07:00.")
}

// parseOktaTime accepts Okta's date-time forms: with or without
// milliseconds, Z or a numeric offset.
func parseOktaTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000Z07:00", time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q", s)
}

func compareOrdered(cmp int, op string) bool {
	switch op {
	case "eq":
		return cmp == 0
	case "gt":
		return cmp > 0
	case "ge":
		return cmp >= 0
	case "lt":
		return cmp < 0
	case "le":
		return cmp <= 0
	}
	return false
}

func present(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case time.Time:
		return !v.IsZero()
	case []any:
		return len(v) > 0
	}
	return true
}

// matchValue compares an attribute value with a literal. Arrays match when
// any element does (SCIM semantics).
func matchValue(v any, op string, want Value, fold bool) bool {
	switch v := v.(type) {
	case nil:
		return false
	case []any:
		for _, e := range v {
			if matchValue(e, op, want, fold) {
				return true
			}
		}
		return false
	case string:
		if want.Kind != StringValue {
			if want.Kind == NumberValue {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					return compareNumbers(f, op, want.Num)
				}
			}
			return false
		}
		if !fold {
			switch op {
			case "sw":
				return strings.HasPrefix(v, want.Str)
			case "co":
				return strings.Contains(v, want.Str)
			}
			return compareOrdered(strings.Compare(v, want.Str), op)
		}
		// want.Str is already lower-case (see compileCompare).
		switch op {
		case "eq":
			return strings.EqualFold(v, want.Str)
		case "sw":
			return hasLowerPrefix(v, want.Str)
		case "co":
			return strings.Contains(strings.ToLower(v), want.Str)
		}
		return compareOrdered(strings.Compare(strings.ToLower(v), want.Str), op)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return false
		}
		return matchNumber(f, v.String(), op, want)
	case float64:
		return matchNumber(v, strconv.FormatFloat(v, 'f', -1, 64), op, want)
	case int:
		return matchNumber(float64(v), strconv.Itoa(v), op, want)
	case bool:
		if want.Kind != BoolValue {
			return false
		}
		return op == "eq" && v == want.Bool
	}
	return false
}

func matchNumber(f float64, text, op string, want Value) bool {
	switch want.Kind {
	case NumberValue:
		return compareNumbers(f, op, want.Num)
	case StringValue:
		if op == "sw" {
			return strings.HasPrefix(text, want.Str)
		}
		if w, err := strconv.ParseFloat(want.Str, 64); err == nil {
			return compareNumbers(f, op, w)
		}
	}
	return false
}

func compareNumbers(a float64, op string, b float64) bool {
	cmp := 0
	switch {
	case a < b:
		cmp = -1
	case a > b:
		cmp = 1
	}
	if op == "sw" || op == "co" {
		return false
	}
	return compareOrdered(cmp, op)
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// hasLowerPrefix reports whether strings.ToLower(s) starts with the
// lower-case prefix, without allocating.
func hasLowerPrefix(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if r1 != r2 && unicode.ToLower(r1) != r2 {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}
