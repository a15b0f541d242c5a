package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"

	jsv "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Validator checks tool arguments against one compiled schema. It is safe
// for concurrent use; compile it once per tool.
type Validator struct {
	compiled *jsv.Schema
	props    []string        // top-level property names, in schema order
	secret   map[string]bool // properties whose values are never echoed
}

// NewValidator compiles a JSON Schema (as advertised to clients). Format
// keywords are assertions (an "email" must be an email address). Properties
// marked writeOnly are treated as secrets: their values never appear in
// messages.
func NewValidator(raw json.RawMessage) (*Validator, error) {
	doc, err := jsv.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema: parsing: %w", err)
	}
	c := jsv.NewCompiler()
	c.DefaultDraft(jsv.Draft2020)
	c.AssertFormat()
	const url = "mem:///tool.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	compiled, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema: compiling: %w", err)
	}
	v := &Validator{compiled: compiled, secret: map[string]bool{}}
	var meta struct {
		Properties orderedKeys `json:"properties"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	v.props = meta.Properties.keys
	for name, p := range compiled.Properties {
		if p.WriteOnly {
			v.secret[name] = true
		}
	}
	return v, nil
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
	v, err := jsv.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, &Error{Violations: []Violation{{Message: "arguments are not valid JSON: " + err.Error()}}}
	}
	return v, nil
}

// Validate checks decoded arguments (from DecodeArguments) against the
// schema. It returns nil or an *Error.
func (v *Validator) Validate(args any) error {
	err := v.compiled.Validate(args)
	if err == nil {
		return nil
	}
	var ve *jsv.ValidationError
	if !errors.As(err, &ve) {
		return &Error{Violations: []Violation{{Message: "invalid arguments: " + err.Error()}}}
	}
	var out []Violation
	seen := map[string]bool{}
	for _, leaf := range leaves(ve) {
		for _, viol := range v.describe(leaf, args) {
			if !seen[viol.Message] {
				seen[viol.Message] = true
				out = append(out, viol)
			}
		}
	}
	if len(out) == 0 {
		out = []Violation{{Message: "invalid arguments"}}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Param < out[j].Param })
	return &Error{Violations: out}
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

// leaves returns the innermost errors, which carry the concrete rule.
func leaves(e *jsv.ValidationError) []*jsv.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsv.ValidationError{e}
	}
	var out []*jsv.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func (v *Validator) describe(e *jsv.ValidationError, args any) []Violation {
	loc := e.InstanceLocation
	param := strings.Join(loc, ".")
	val, _ := lookup(args, loc)
	secret := len(loc) > 0 && v.secret[loc[0]]
	got := func() string { return display(val, secret) }
	one := func(format string, a ...any) []Violation {
		return []Violation{{Param: param, Message: param + ": " + fmt.Sprintf(format, a...)}}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []Violation
		for _, m := range k.Missing {
			p := join(param, m)
			out = append(out, Violation{Param: p, Message: p + " is required"})
		}
		return out
	case *kind.AdditionalProperties:
		var out []Violation
		for _, name := range k.Properties {
			p := join(param, name)
			msg := fmt.Sprintf("unknown parameter %q", name)
			if param != "" {
				msg = fmt.Sprintf("unknown field %q in %s", name, param)
			} else if s := v.suggest(name); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(v.props) > 0 {
				msg += "; this tool accepts: " + strings.Join(v.props, ", ")
			}
			out = append(out, Violation{Param: p, Message: msg})
		}
		return out
	case *kind.Type:
		if param == "" {
			return []Violation{{Message: fmt.Sprintf("arguments must be a JSON object (got %s)", k.Got)}}
		}
		want := strings.Join(k.Want, " or ")
		if len(k.Want) == 2 && k.Want[1] == "null" {
			want = k.Want[0]
		}
		g := typeName(val)
		switch val.(type) {
		case string, json.Number, bool:
			if !secret {
				g += " " + got()
			}
		}
		return one("must be %s %s (got %s)", article(want), want, g)
	case *kind.Minimum:
		return one("must be >= %s (got %s)", rat(k.Want), got())
	case *kind.Maximum:
		return one("must be <= %s (got %s)", rat(k.Want), got())
	case *kind.ExclusiveMinimum:
		return one("must be > %s (got %s)", rat(k.Want), got())
	case *kind.ExclusiveMaximum:
		return one("must be < %s (got %s)", rat(k.Want), got())
	case *kind.MultipleOf:
		if k.Want.Cmp(big.NewRat(1, 1)) == 0 {
			return one("must be a whole number (got %s)", got())
		}
		return one("must be a multiple of %s (got %s)", rat(k.Want), got())
	case *kind.MinLength:
		if k.Want == 1 {
			return one("must not be empty")
		}
		return one("must be at least %d characters long (got %d)", k.Want, k.Got)
	case *kind.MaxLength:
		return one("must be at most %d characters long (got %d)", k.Want, k.Got)
	case *kind.Format:
		what := k.Want
		switch k.Want {
		case "email":
			what = "email address"
		case "date-time":
			what = "RFC 3339 date-time"
		}
		reason := ""
		if k.Err != nil && !secret {
			reason = " (" + k.Err.Error() + ")"
		}
		return one("%s is not a valid %s%s", got(), what, reason)
	case *kind.Pattern:
		return one("%s does not match the pattern %s", got(), k.Want)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = display(w, false)
		}
		return one("must be one of %s (got %s)", strings.Join(want, ", "), got())
	case *kind.Const:
		return one("must be %s (got %s)", display(k.Want, false), got())
	case *kind.FalseSchema:
		if len(loc) > 0 {
			return []Violation{{Param: param, Message: fmt.Sprintf("unknown parameter %q", loc[len(loc)-1])}}
		}
	}
	msg := e.Error()
	if secret {
		msg = "invalid value"
	}
	if param == "" {
		return []Violation{{Message: "arguments: " + msg}}
	}
	return one("%s", msg)
}

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

func lookup(v any, loc []string) (any, bool) {
	for _, tok := range loc {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
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

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(6)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
