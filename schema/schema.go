// Package schema validates tool arguments against the JSON Schemas that
// okta-mcp's tools advertise, so that what a model is told and what the
// server enforces cannot drift apart, and names the Go types those schemas
// are generated from.
//
// The schemas themselves are generated from Go structs at build time (see
// schema/schemagen and `go generate ./tools`); at run time they are embedded
// JSON. Validation errors are short messages that name the parameter and
// the rule.
package schema

import "reflect"

// Type names the Go struct a tool's input or output schema is generated
// from (by schemagen, at go generate time). It costs nothing at run time.
type Type struct {
	Go     reflect.Type
	Output bool // an output schema: nullable pointers, additional properties allowed
}

// Input names the input schema of struct type T.
func Input[T any]() Type { return Type{Go: reflect.TypeFor[T]()} }

// Output names the output schema of struct type T. Pointer fields are values
// Okta may lack: they are always present and typed [type, "null"].
func Output[T any]() Type { return Type{Go: reflect.TypeFor[T](), Output: true} }
