package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// fieldsInput is embedded in the input of list tools: `fields` selects the
// fields of each listed item, so that a model pays only for what it reads
// (a default page of 47 users is about 20 KB; their ids and logins about
// 3 KB). Without it the result is the seed's, every field.
//
// A list tool opts in by embedding fieldsInput in its input struct; define
// checks the names against the item type of the tool's output before
// anything is sent to Okta, and c.ok trims the items. The generator drops
// `required` from such a tool's item schema (TestGeneratedSchemas).
type fieldsInput struct {
	Fields []string `json:"fields,omitempty" jsonschema:"minItems=1" jsonschema_description:"Return only these fields of each item (names as in the output schema's items, e.g. [\"id\",\"login\",\"status\"]); default: every field. Use it to keep large pages small."`
}

func (f fieldsInput) selectedFields() []string { return f.Fields }

// fieldSelector is implemented by inputs that embed fieldsInput.
type fieldSelector interface{ selectedFields() []string }

// listShape describes the list property of an output struct: its JSON name
// and the JSON names of its items' fields, in order.
type listShape struct {
	key    string
	index  int // the list's field index in the output struct
	fields []string
}

var listShapes sync.Map // reflect.Type -> *listShape (nil when there is no list)

// listShapeOf finds the one slice-of-struct field of output type t.
func listShapeOf(t reflect.Type) *listShape {
	if v, ok := listShapes.Load(t); ok {
		return v.(*listShape)
	}
	var shape *listShape
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
				continue
			}
			shape = &listShape{key: jsonFieldName(f), index: i}
			et := f.Type.Elem()
			for j := range et.NumField() {
				if n := jsonFieldName(et.Field(j)); n != "" {
					shape.fields = append(shape.fields, n)
				}
			}
			break
		}
	}
	listShapes.Store(t, shape)
	return shape
}

func jsonFieldName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}

// checkFields validates the requested field names against shape; the error
// names each unknown field and the allowed ones.
func checkFields(tool string, shape *listShape, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	if shape == nil {
		return fmt.Errorf("fields: %s does not return a list", tool)
	}
	var unknown []string
	for _, f := range fields {
		if !contains(shape.fields, f) {
			unknown = append(unknown, fmt.Sprintf("%q", f))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	what := "unknown field " + unknown[0]
	if len(unknown) > 1 {
		what = "unknown fields " + strings.Join(unknown, ", ")
	}
	return fmt.Errorf("fields: %s; the %s of %s have: %s", what, shape.key, tool, strings.Join(shape.fields, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// selectFields renders out (an output struct) as JSON with each item of its
// list reduced to the selected fields, in the item type's order; the other
// properties (count, nextCursor, ...) are kept as they are.
func selectFields(out any, shape *listShape, fields []string) (json.RawMessage, error) {
	v := reflect.ValueOf(out)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	want := map[string]bool{}
	for _, f := range fields {
		want[f] = true
	}
	t := v.Type()
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for i := range t.NumField() {
		name := jsonFieldName(t.Field(i))
		if name == "" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeKey(&b, name)
		if i != shape.index {
			if err := writeJSON(&b, v.Field(i).Interface()); err != nil {
				return nil, err
			}
			continue
		}
		list := v.Field(i)
		if list.IsNil() {
			b.WriteString("[]")
			continue
		}
		b.WriteByte('[')
		for j := range list.Len() {
			if j > 0 {
				b.WriteByte(',')
			}
			item := list.Index(j)
			b.WriteByte('{')
			n := 0
			for k := range item.NumField() {
				fname := jsonFieldName(item.Type().Field(k))
				if !want[fname] {
					continue
				}
				if n > 0 {
					b.WriteByte(',')
				}
				n++
				writeKey(&b, fname)
				if err := writeJSON(&b, item.Field(k).Interface()); err != nil {
					return nil, err
				}
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeKey(b *bytes.Buffer, k string) {
	kb, _ := json.Marshal(k)
	b.Write(kb)
	b.WriteByte(':')
}

func writeJSON(b *bytes.Buffer, v any) error {
	vb, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(vb)
	return nil
}
