package sandbox

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// baseUserAttributes are the attributes of Okta's default user schema
// (definitions.base of GET /api/v1/meta/schemas/user/default, as recorded
// by okta/terraform-provider-okta; see fidelity_test.go).
var baseUserAttributes = []string{
	"login", "firstName", "lastName", "middleName", "honorificPrefix", "honorificSuffix", "email", "title",
	"displayName", "nickName", "profileUrl", "secondEmail", "mobilePhone", "primaryPhone", "streetAddress",
	"city", "state", "zipCode", "countryCode", "postalAddress", "preferredLanguage", "locale", "timezone",
	"userType", "employeeNumber", "costCenter", "organization", "division", "department", "managerId", "manager",
}

// SeedSchema declares the org's custom user profile attributes, besides
// Okta's base attributes (login, email, firstName, lastName, title,
// department, ...). A profile attribute that neither declares is refused,
// as Okta refuses it: 400 E0000001 "Property name '<name>' is not defined
// in profile".
type SeedSchema struct {
	// Custom maps an attribute name to its definition.
	Custom map[string]SeedAttribute `json:"custom"`
}

// SeedAttribute is a custom attribute of the user schema.
type SeedAttribute struct {
	// Type is the JSON Schema type of the values: "string" (default),
	// "boolean", "integer", "number" or "array".
	Type string `json:"type,omitempty"`
	// Title is the attribute's display name.
	Title string `json:"title,omitempty"`
}

// userSchema is the org's user profile schema.
type userSchema struct {
	attrs map[string]string // name -> JSON type ("" for base attributes, typed by validateUserProfile)
}

func newUserSchema(s *SeedSchema) (*userSchema, error) {
	us := &userSchema{attrs: make(map[string]string, len(baseUserAttributes))}
	for _, a := range baseUserAttributes {
		us.attrs[a] = ""
	}
	if s == nil {
		return us, nil
	}
	names := make([]string, 0, len(s.Custom))
	for n := range s.Custom {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := s.Custom[n]
		if _, base := us.attrs[n]; base {
			return nil, &SeedError{fmt.Errorf("schema.custom.%s: a base attribute of Okta's user schema, not a custom one", n)}
		}
		if n == "" || strings.ContainsAny(n, " .\t\"") {
			return nil, &SeedError{fmt.Errorf("schema.custom: attribute name %q is not a valid variable name", n)}
		}
		t := a.Type
		if t == "" {
			t = "string"
		}
		if !slices.Contains([]string{"string", "boolean", "integer", "number", "array"}, t) {
			return nil, &SeedError{fmt.Errorf("schema.custom.%s.type: unknown type %q (string, boolean, integer, number or array)", n, a.Type)}
		}
		us.attrs[n] = t
	}
	return us, nil
}

// check refuses attributes the schema does not declare. what names the
// object in the summary, as Okta does ("newUser" on create). Values of
// custom attributes are not checked against their declared type (a
// difference listed in doc.go).
func (us *userSchema) check(p map[string]any, what string) error {
	names := us.undeclared(p)
	if len(names) == 0 {
		return nil
	}
	causes := make([]string, len(names))
	for i, k := range names {
		causes[i] = "Property name '" + k + "' is not defined in profile"
	}
	return errValidation(what, causes...)
}

// undeclared lists, sorted, the attributes of p the schema does not declare.
func (us *userSchema) undeclared(p map[string]any) []string {
	var names []string
	for k := range p {
		if _, ok := us.attrs[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// CustomAttributes returns the custom user profile attributes the org
// declares, by name, with their types.
func (o *Org) CustomAttributes() map[string]string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := map[string]string{}
	for k, t := range o.st.schema.attrs {
		if t != "" {
			out[k] = t
		}
	}
	return out
}
