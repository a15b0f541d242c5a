package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
)

// Validator checks tool arguments against one schema. It is safe for
// concurrent use; build it once per tool.
//
// The schema is parsed and resolved by github.com/google/jsonschema-go (the
// JSON Schema library mcp-go itself links), whose Validate has the last
// word. A walker over the same parsed schema finds every broken rule and
// words it for a model (the parameter, the rule, the value given), and
// asserts formats (email, date-time), which that library only annotates.
// santhosh-tekuri/jsonschema was used before; its package init compiles the
// meta-schemas of five drafts (about 1.7 MB of allocations and several
// milliseconds at every process start), more than the whole start-up budget
// of issue 11.
type Validator struct {
	root     *jsonschema.Schema
	resolved *jsonschema.Resolved
	props    []string        // top-level property names, in schema order
	secret   map[string]bool // properties whose values are never echoed
}

// NewValidator parses a JSON Schema (as advertised to clients). Format
// keywords are assertions (an "email" must be an email address). Properties
// marked writeOnly are treated as secrets: their values never appear in
// messages. Schemas using keywords the walker does not word (anyOf, $ref,
// ...) are refused, so that a tool cannot silently get vaguer messages.
func NewValidator(raw json.RawMessage) (*Validator, error) {
	var root jsonschema.Schema
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("schema: parsing: %w", err)
	}
	if err := supported(&root, ""); err != nil {
		return nil, err
	}
	rs, err := root.Resolve(nil)
	if err != nil {
		return nil, fmt.Errorf("schema: compiling: %w", err)
	}
	v := &Validator{root: &root, resolved: rs, secret: map[string]bool{}}
	var meta struct {
		Properties orderedKeys `json:"properties"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	v.props = meta.Properties.keys
	for name, p := range root.Properties {
		if p.WriteOnly {
			v.secret[name] = true
		}
	}
	return v, nil
}

// supported refuses keywords the walker does not check.
func supported(s *jsonschema.Schema, at string) error {
	if s == nil || isFalse(s) {
		return nil
	}
	for _, t := range append([]string{s.Type}, s.Types...) {
		switch t {
		case "", "null", "boolean", "object", "array", "number", "integer", "string":
		default:
			return fmt.Errorf("schema: %s: unknown type %q", orRoot(at), t)
		}
	}
	bad := ""
	switch {
	case s.Ref != "" || s.DynamicRef != "":
		bad = "$ref"
	case len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil:
		bad = "allOf/anyOf/oneOf/not"
	case s.If != nil || len(s.DependentSchemas) > 0 || len(s.DependentRequired) > 0:
		bad = "if/dependent*"
	case len(s.PatternProperties) > 0 || s.PropertyNames != nil || s.UnevaluatedProperties != nil:
		bad = "patternProperties/propertyNames/unevaluatedProperties"
	case len(s.PrefixItems) > 0 || len(s.ItemsArray) > 0 || s.Contains != nil || s.UniqueItems || s.UnevaluatedItems != nil:
		bad = "prefixItems/contains/uniqueItems"
	case s.Pattern != "":
		if _, err := regexp.Compile(s.Pattern); err != nil {
			return fmt.Errorf("schema: %s: pattern: %w", orRoot(at), err)
		}
	}
	if bad != "" {
		return fmt.Errorf("schema: %s: %s is not supported by the argument validator", orRoot(at), bad)
	}
	for name, p := range s.Properties {
		if err := supported(p, join(at, name)); err != nil {
			return err
		}
	}
	if err := supported(s.AdditionalProperties, join(at, "*")); err != nil {
		return err
	}
	return supported(s.Items, join(at, "[]"))
}

func orRoot(at string) string {
	if at == "" {
		return "(root)"
	}
	return at
}

// isFalse reports whether s is the schema false (google/jsonschema-go
// parses it as {"not": {}}).
func isFalse(s *jsonschema.Schema) bool {
	if s == nil || s.Not == nil {
		return false
	}
	n := *s.Not
	return reflect.ValueOf(n).IsZero() && s.Type == "" && len(s.Properties) == 0
}

// orderedKeys records the keys of a JSON object in document order.
type orderedKeys struct{ keys []string }

func (o *orderedKeys) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := t.(string)
		o.keys = append(o.keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

// Properties returns the schema's top-level property names in order.
func (v *Validator) Properties() []string { return append([]string(nil), v.props...) }

// Violation is one broken rule.
type Violation struct {
	Param   string // dotted path of the offending parameter; "" for the arguments object
	Message string // full message, starting with the parameter's name
}

// Error lists every rule that call arguments broke.
type Error struct {
	Violations []Violation
}

func (e *Error) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	return strings.Join(msgs, "; ")
}

// DecodeArguments parses raw tool arguments (JSON) into the generic values
// the validator works on; numbers stay exact (json.Number). Empty input and
// null are an empty object.
func DecodeArguments(raw []byte) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			err = errors.New("unexpected data after the top-level value")
		}
	}
	if err != nil {
		return nil, &Error{Violations: []Violation{{Message: "arguments are not valid JSON: " + err.Error()}}}
	}
	return v, nil
}

// Validate checks decoded arguments (from DecodeArguments) against the
// schema. It returns nil or an *Error.
func (v *Validator) Validate(args any) error {
	var out []Violation
	v.walk(v.root, args, nil, &out)
	if len(out) == 0 {
		err := v.resolved.Validate(floats(args))
		if err == nil {
			return nil
		}
		// The library found what the walker did not word: say it, without
		// values (they could be secrets).
		out = []Violation{{Message: "invalid arguments (" + strings.SplitN(err.Error(), ":", 2)[0] + ")"}}
	}
	seen := map[string]bool{}
	uniq := out[:0]
	for _, o := range out {
		if !seen[o.Message] {
			seen[o.Message] = true
			uniq = append(uniq, o)
		}
	}
	sort.SliceStable(uniq, func(i, j int) bool { return uniq[i].Param < uniq[j].Param })
	return &Error{Violations: uniq}
}

// Bind decodes raw arguments, validates them and, when they are valid,
// unmarshals them into dst (a pointer to the tool's input struct).
func (v *Validator) Bind(raw []byte, dst any) error {
	args, err := DecodeArguments(raw)
	if err != nil {
		return err
	}
	if err := v.Validate(args); err != nil {
		return err
	}
	b, err := json.Marshal(args)
	if err != nil {
		return &Error{Violations: []Violation{{Message: "invalid arguments: " + err.Error()}}}
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return &Error{Violations: []Violation{{Message: "invalid arguments: " + err.Error()}}}
	}
	return nil
}

// walk checks val against s at loc and appends every broken rule to out.
func (v *Validator) walk(s *jsonschema.Schema, val any, loc []string, out *[]Violation) {
	if s == nil {
		return
	}
	param := strings.Join(loc, ".")
	secret := len(loc) > 0 && v.secret[loc[0]]
	got := func() string { return display(val, secret) }
	add := func(format string, a ...any) {
		*out = append(*out, Violation{Param: param, Message: param + ": " + fmt.Sprintf(format, a...)})
	}
	if isFalse(s) {
		if len(loc) > 0 {
			*out = append(*out, Violation{Param: param, Message: fmt.Sprintf("unknown parameter %q", loc[len(loc)-1])})
		}
		return
	}
	want := s.Types
	if s.Type != "" {
		want = []string{s.Type}
	}
	if len(want) > 0 && !typeOK(val, want) {
		if param == "" {
			*out = append(*out, Violation{Message: fmt.Sprintf("arguments must be a JSON object (got %s)", strings.TrimPrefix(typeName(val), "an "))})
			return
		}
		w := strings.Join(want, " or ")
		if len(want) == 2 && want[1] == "null" {
			w = want[0]
		}
		g := typeName(val)
		switch val.(type) {
		case string, json.Number, bool:
			if !secret {
				g += " " + got()
			}
		}
		add("must be %s %s (got %s)", article(w), w, g)
		return
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return equal(e, val) }) {
		ws := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			ws[i] = display(e, false)
		}
		add("must be one of %s (got %s)", strings.Join(ws, ", "), got())
	}
	if s.Const != nil && !equal(*s.Const, val) {
		add("must be %s (got %s)", display(*s.Const, false), got())
	}
	switch x := val.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				p := join(param, r)
				*out = append(*out, Violation{Param: p, Message: p + " is required"})
			}
		}
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			sub := append(append([]string(nil), loc...), k)
			if p, ok := s.Properties[k]; ok {
				v.walk(p, x[k], sub, out)
				continue
			}
			if ap := s.AdditionalProperties; ap != nil {
				if !isFalse(ap) {
					v.walk(ap, x[k], sub, out)
					continue
				}
				p := join(param, k)
				msg := fmt.Sprintf("unknown parameter %q", k)
				if param != "" {
					msg = fmt.Sprintf("unknown field %q in %s", k, param)
				} else if sug := v.suggest(k); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				} else if len(v.props) > 0 {
					msg += "; this tool accepts: " + strings.Join(v.props, ", ")
				}
				*out = append(*out, Violation{Param: p, Message: msg})
			}
		}
		if s.MinProperties != nil && len(x) < *s.MinProperties {
			add("must have at least %d fields (got %d)", *s.MinProperties, len(x))
		}
		if s.MaxProperties != nil && len(x) > *s.MaxProperties {
			add("must have at most %d fields (got %d)", *s.MaxProperties, len(x))
		}
	case []any:
		if s.MinItems != nil && len(x) < *s.MinItems {
			add("must have at least %d items (got %d)", *s.MinItems, len(x))
		}
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			add("must have at most %d items (got %d)", *s.MaxItems, len(x))
		}
		for i, it := range x {
			v.walk(s.Items, it, append(append([]string(nil), loc...), strconv.Itoa(i)), out)
		}
	case string:
		n := utf8.RuneCountInString(x)
		if s.MinLength != nil && n < *s.MinLength {
			if *s.MinLength == 1 {
				add("must not be empty")
			} else {
				add("must be at least %d characters long (got %d)", *s.MinLength, n)
			}
		}
		if s.MaxLength != nil && n > *s.MaxLength {
			add("must be at most %d characters long (got %d)", *s.MaxLength, n)
		}
		if s.Pattern != "" {
			if re, err := regexp.Compile(s.Pattern); err == nil && !re.MatchString(x) {
				add("%s does not match the pattern %s", got(), s.Pattern)
			}
		}
		if reason, ok := checkFormat(s.Format, x); !ok {
			what := s.Format
			switch s.Format {
			case "email":
				what = "email address"
			case "date-time":
				what = "RFC 3339 date-time"
			}
			if reason != "" && !secret {
				reason = " (" + reason + ")"
			} else {
				reason = ""
			}
			add("%s is not a valid %s%s", got(), what, reason)
		}
	case json.Number:
		n, ok := new(big.Rat).SetString(x.String())
		if !ok {
			add("must be a finite number (got %s)", got())
			return
		}
		cmp := func(f *float64) int { return n.Cmp(new(big.Rat).SetFloat64(*f)) }
		if s.Minimum != nil && cmp(s.Minimum) < 0 {
			add("must be >= %s (got %s)", num(*s.Minimum), got())
		}
		if s.Maximum != nil && cmp(s.Maximum) > 0 {
			add("must be <= %s (got %s)", num(*s.Maximum), got())
		}
		if s.ExclusiveMinimum != nil && cmp(s.ExclusiveMinimum) <= 0 {
			add("must be > %s (got %s)", num(*s.ExclusiveMinimum), got())
		}
		if s.ExclusiveMaximum != nil && cmp(s.ExclusiveMaximum) >= 0 {
			add("must be < %s (got %s)", num(*s.ExclusiveMaximum), got())
		}
		if m := s.MultipleOf; m != nil && *m > 0 {
			q := new(big.Rat).Quo(n, new(big.Rat).SetFloat64(*m))
			if !q.IsInt() {
				if *m == 1 {
					add("must be a whole number (got %s)", got())
				} else {
					add("must be a multiple of %s (got %s)", num(*m), got())
				}
			}
		}
	}
}

// floats returns a copy of a decoded value with json.Number replaced by
// float64, as google/jsonschema-go types json.Number as a string (the walker
// has already compared the exact numbers).
func floats(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x
		}
		return f
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = floats(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = floats(e)
		}
		return a
	}
	return v
}

// typeOK reports whether val is of one of the JSON types in want.
func typeOK(val any, want []string) bool {
	for _, w := range want {
		switch x := val.(type) {
		case nil:
			if w == "null" {
				return true
			}
		case bool:
			if w == "boolean" {
				return true
			}
		case string:
			if w == "string" {
				return true
			}
		case json.Number:
			if w == "number" {
				return true
			}
			if w == "integer" {
				if r, ok := new(big.Rat).SetString(x.String()); ok && r.IsInt() {
					return true
				}
			}
		case []any:
			if w == "array" {
				return true
			}
		case map[string]any:
			if w == "object" {
				return true
			}
		}
	}
	return false
}

// checkFormat asserts the formats tools use; others are annotations.
func checkFormat(format, s string) (reason string, ok bool) {
	switch format {
	case "email":
		at := strings.LastIndexByte(s, '@')
		if at < 0 {
			return "missing @", false
		}
		if at == 0 {
			return "missing local part", false
		}
		if at == len(s)-1 {
			return "missing domain", false
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || a.Name != "" {
			return "not an address of the form name@example.com", false
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "want e.g. 2026-01-31T09:00:00Z", false
		}
	}
	return "", true
}

// equal compares two decoded JSON values (numbers by value).
func equal(a, b any) bool {
	an, aok := numberOf(a)
	bn, bok := numberOf(b)
	if aok || bok {
		return aok && bok && an.Cmp(bn) == 0
	}
	return reflect.DeepEqual(a, b)
}

func numberOf(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case json.Number:
		return new(big.Rat).SetString(x.String())
	case float64:
		r := new(big.Rat)
		if r.SetFloat64(x) == nil {
			return nil, false
		}
		return r, true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	}
	return nil, false
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// suggest returns the known parameter closest to name, if it is close.
func (v *Validator) suggest(name string) string {
	best, bestD := "", 3
	for _, p := range v.props {
		if strings.EqualFold(p, name) {
			return p
		}
		if d := levenshtein(strings.ToLower(p), strings.ToLower(name)); d < bestD {
			best, bestD = p, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

const maxShown = 60

// display renders a value for a message: strings quoted and shortened,
// numbers as given, other types by name. Secret values are never shown.
func display(v any, secret bool) string {
	if secret {
		switch v.(type) {
		case string:
			return "a string (value hidden)"
		default:
			return typeName(v) + " (value hidden)"
		}
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if utf8.RuneCountInString(x) > maxShown {
			x = string([]rune(x)[:maxShown]) + "…"
		}
		return fmt.Sprintf("%q", x)
	case json.Number:
		s := x.String()
		if len(s) > maxShown {
			s = s[:maxShown] + "…"
		}
		return s
	case bool:
		return fmt.Sprint(x)
	case float64, int, int64:
		return fmt.Sprint(x)
	default:
		return typeName(v)
	}
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64, int, int64:
		return "number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func article(word string) string {
	switch {
	case word == "":
		return ""
	case strings.ContainsRune("aeiou", rune(word[0])):
		return "an"
	default:
		return "a"
	}
}
