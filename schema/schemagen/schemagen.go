// Package schemagen turns Go structs into the JSON Schemas that okta-mcp's
// tools advertise. It runs at build time only: `go generate ./tools` writes
// every tool's schemas to tools/schemas.json, which the server embeds, so
// that no reflection (and none of github.com/invopop/jsonschema's package
// init) happens when okta-mcp starts. Nothing but tests and the generator
// imports this package.
//
// Schemas come from github.com/invopop/jsonschema; struct tags carry the
// descriptions (jsonschema_description) and the rules (jsonschema:
// default, minimum, maximum, multipleOf, minLength, format, writeOnly, ...).
package schemagen

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// Input reflects the input schema of struct type T: an object whose
// properties are T's fields, required unless tagged omitempty/omitzero,
// additionalProperties false, no $schema and no $id.
func Input[T any]() *jsonschema.Schema { return For(reflect.TypeFor[T](), false) }

// Output reflects the output schema of struct type T. Pointer fields are
// values Okta may lack: they are always present and typed [type, "null"].
// Outputs allow additional properties, so that clients keep working when a
// field is added.
func Output[T any]() *jsonschema.Schema { return For(reflect.TypeFor[T](), true) }

// For reflects the schema of type t: an output schema when output is set,
// an input schema otherwise (see Input and Output).
func For(t reflect.Type, output bool) *jsonschema.Schema {
	if output {
		return outputFor(t)
	}
	r := &jsonschema.Reflector{
		DoNotReference: true,
		ExpandedStruct: true,
		Anonymous:      true,
	}
	s := r.Reflect(reflect.New(t).Interface())
	s.Version = ""
	if s.Properties == nil { // a tool without parameters: still an object with properties
		s.Properties = jsonschema.NewProperties()
	}
	return s
}

func outputFor(t reflect.Type) *jsonschema.Schema {
	r := &jsonschema.Reflector{
		DoNotReference:            true,
		ExpandedStruct:            true,
		Anonymous:                 true,
		AllowAdditionalProperties: true,
	}
	s := r.Reflect(reflect.New(t).Interface())
	s.Version = ""
	markNullable(t, s)
	return s
}

// markNullable walks t and s together and widens the type of every pointer
// field to [type, "null"].
func markNullable(t reflect.Type, s *jsonschema.Schema) {
	if s == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		markNullable(t.Elem(), s.Items)
	case reflect.Struct:
		if s.Properties == nil {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Tag.Get("json") == "" {
				markNullable(f.Type, s) // embedded: fields are inlined
				continue
			}
			name := jsonName(f)
			if name == "" {
				continue
			}
			prop, ok := s.Properties.Get(name)
			if !ok {
				continue
			}
			if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() != reflect.Struct {
				setNullable(prop)
			}
			markNullable(f.Type, prop)
		}
	}
}

func setNullable(s *jsonschema.Schema) {
	if s.Type == "" || s.Type == "null" {
		return
	}
	if s.Extras == nil {
		s.Extras = map[string]any{}
	}
	s.Extras["type"] = []string{s.Type, "null"}
	s.Type = ""
}

func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name
}

// Marshal renders a schema as JSON.
func Marshal(s *jsonschema.Schema) (json.RawMessage, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return b, nil
}

// PrependProperties returns a copy of s whose properties start with those of
// extra (in extra's order) followed by s's own; required lists are merged the
// same way. It is how the per-call credential parameters (apiKey, domain) are
// put in front of every tool's own parameters.
func PrependProperties(s, extra *jsonschema.Schema) *jsonschema.Schema {
	out := *s
	out.Properties = jsonschema.NewProperties()
	for p := extra.Properties.Oldest(); p != nil; p = p.Next() {
		out.Properties.Set(p.Key, p.Value)
	}
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		out.Properties.Set(p.Key, p.Value)
	}
	out.Required = append(append([]string(nil), extra.Required...), s.Required...)
	return &out
}

// Optional returns a copy of s in which the named properties are no longer
// required.
func Optional(s *jsonschema.Schema, names ...string) *jsonschema.Schema {
	out := *s
	out.Required = nil
	for _, r := range s.Required {
		drop := false
		for _, n := range names {
			if r == n {
				drop = true
			}
		}
		if !drop {
			out.Required = append(out.Required, r)
		}
	}
	return &out
}
