package okta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// User status values, as Okta reports them in User.Status.
const (
	StatusStaged          = "STAGED"
	StatusProvisioned     = "PROVISIONED"
	StatusActive          = "ACTIVE"
	StatusRecovery        = "RECOVERY"
	StatusLockedOut       = "LOCKED_OUT"
	StatusPasswordExpired = "PASSWORD_EXPIRED"
	StatusSuspended       = "SUSPENDED"
	StatusDeprovisioned   = "DEPROVISIONED"
)

// Group types, as Okta reports them in Group.Type.
const (
	GroupTypeOkta    = "OKTA_GROUP"
	GroupTypeApp     = "APP_GROUP"
	GroupTypeBuiltIn = "BUILT_IN"
)

// User is an Okta user (the User schema of the Management API). Timestamps
// that Okta may omit or send as null are pointers.
type User struct {
	ID              string          `json:"id"`
	Status          string          `json:"status"`
	Created         *time.Time      `json:"created,omitempty"`
	Activated       *time.Time      `json:"activated,omitempty"`
	StatusChanged   *time.Time      `json:"statusChanged,omitempty"`
	LastLogin       *time.Time      `json:"lastLogin,omitempty"`
	LastUpdated     *time.Time      `json:"lastUpdated,omitempty"`
	PasswordChanged *time.Time      `json:"passwordChanged,omitempty"`
	Profile         UserProfile     `json:"profile"`
	Links           json.RawMessage `json:"_links,omitempty"` // as Okta sent it (HAL links); kept raw, decoding it cost allocations nobody used
}

// UserProfile is a user's profile. Okta profiles are extensible (custom
// attributes), so the profile is kept as a map; String and StringPtr read the
// standard string attributes (firstName, email, login, department, ...).
type UserProfile map[string]any

// String returns the attribute as a string, or "" when it is absent, null or
// not a string.
func (p UserProfile) String(name string) string {
	s, _ := p[name].(string)
	return s
}

// StringPtr returns the attribute as a *string, or nil when it is absent,
// null or not a string.
func (p UserProfile) StringPtr(name string) *string {
	s, ok := p[name].(string)
	if !ok {
		return nil
	}
	return &s
}

// PasswordCredential holds a password value for user creation.
type PasswordCredential struct {
	Value string `json:"value"`
}

// UserCredentials are the writable credentials sent on user creation.
type UserCredentials struct {
	Password *PasswordCredential `json:"password,omitempty"`
}

// CreateUserRequest is the body of createUser (POST /api/v1/users).
type CreateUserRequest struct {
	Profile     UserProfile      `json:"profile"`
	Credentials *UserCredentials `json:"credentials,omitempty"`
	GroupIDs    []string         `json:"groupIds,omitempty"`
}

// ActivationToken is returned by activateUser when sendEmail is false.
type ActivationToken struct {
	ActivationToken string `json:"activationToken,omitempty"`
	ActivationURL   string `json:"activationUrl,omitempty"`
}

// ResetPasswordToken is returned by resetPassword when sendEmail is false.
type ResetPasswordToken struct {
	ResetPasswordURL string `json:"resetPasswordUrl,omitempty"`
}

// Group is an Okta group (the Group schema of the Management API).
type Group struct {
	ID                    string          `json:"id"`
	Created               *time.Time      `json:"created,omitempty"`
	LastUpdated           *time.Time      `json:"lastUpdated,omitempty"`
	LastMembershipUpdated *time.Time      `json:"lastMembershipUpdated,omitempty"`
	ObjectClass           []string        `json:"objectClass,omitempty"`
	Type                  string          `json:"type"`
	Profile               GroupProfile    `json:"profile"`
	Links                 json.RawMessage `json:"_links,omitempty"` // as Okta sent it (HAL links), kept raw
}

// GroupProfile is the profile of a group. Description is a pointer
// because Okta distinguishes an absent/null description from an empty one;
// a nil Description is left out of requests (the spec's description is not
// nullable), which for ReplaceGroup clears it.
//
// Okta group profiles are extensible (custom attributes added to the group
// profile schema; APP_GROUP profiles carry their app's attributes). Extra
// holds every attribute other than name and description, flattened into the
// profile object on the wire, so that a read-modify-write through
// ReplaceGroup, a full replace, keeps them. Numbers in Extra are
// json.Number, so that they are written back exactly as they were read.
// Keys "name" and "description" in Extra are ignored. Extra is nil when the
// profile has no other attributes.
type GroupProfile struct {
	Name        string
	Description *string
	Extra       map[string]any
}

// MarshalJSON writes the profile as one object: name, description (when
// not nil), then the Extra attributes in key order.
func (p GroupProfile) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"name":`)
	if err := appendJSON(&b, p.Name); err != nil {
		return nil, err
	}
	if p.Description != nil {
		b.WriteString(`,"description":`)
		if err := appendJSON(&b, *p.Description); err != nil {
			return nil, err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(p.Extra)) {
		if k == "name" || k == "description" {
			continue
		}
		b.WriteByte(',')
		if err := appendJSON(&b, k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := appendJSON(&b, p.Extra[k]); err != nil {
			return nil, fmt.Errorf("group profile attribute %q: %w", k, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func appendJSON(b *bytes.Buffer, v any) error {
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(j)
	return nil
}

// UnmarshalJSON reads name and description, and every other attribute into
// Extra.
func (p *GroupProfile) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var known struct {
		Name        string  `json:"name"`
		Description *string `json:"description"`
	}
	if err := json.Unmarshal(data, &known); err != nil {
		return err
	}
	var all map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&all); err != nil {
		return err
	}
	delete(all, "name")
	delete(all, "description")
	*p = GroupProfile{Name: known.Name, Description: known.Description}
	if len(all) > 0 {
		p.Extra = all
	}
	return nil
}

// ListUsersParams are the query parameters of listUsers. Zero values are
// left out of the request.
type ListUsersParams struct {
	Search    string // Okta search expression
	Filter    string // Okta filter expression
	Q         string // prefix query on firstName, lastName, email
	After     string // opaque cursor from Response.NextCursor
	Limit     int    // page size; 0 = Okta's default
	SortBy    string
	SortOrder string
}

// ListGroupsParams are the query parameters of listGroups.
type ListGroupsParams struct {
	Search string
	Filter string
	Q      string
	After  string
	Limit  int
}

// ListParams are the paging parameters of simple list operations such as
// listGroupUsers.
type ListParams struct {
	After string
	Limit int
}
