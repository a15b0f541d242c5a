package tools

import (
	"github.com/okta-mcp/okta-mcp/okta"
)

// Output structs. Pointer fields are values Okta may lack: they are always
// present in results, as null when Okta has no value (schema.Output types
// them [type, "null"]).

// userSummary is a user in list results.
type userSummary struct {
	ID            string  `json:"id" jsonschema_description:"Okta user id (00u...)"`
	Status        string  `json:"status" jsonschema_description:"User status: STAGED, PROVISIONED, ACTIVE, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED or DEPROVISIONED"`
	FirstName     *string `json:"firstName"`
	LastName      *string `json:"lastName"`
	Email         *string `json:"email" jsonschema_description:"Primary email address"`
	Login         *string `json:"login" jsonschema_description:"Login (usually the email address)"`
	MobilePhone   *string `json:"mobilePhone"`
	Title         *string `json:"title"`
	Department    *string `json:"department"`
	Created       *string `json:"created" jsonschema:"format=date-time" jsonschema_description:"When the user was created"`
	LastLogin     *string `json:"lastLogin" jsonschema:"format=date-time" jsonschema_description:"Last sign-in (null if never)"`
	LastUpdated   *string `json:"lastUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the user"`
	Activated     *string `json:"activated" jsonschema:"format=date-time" jsonschema_description:"When the user was activated (null if never)"`
	StatusChanged *string `json:"statusChanged" jsonschema:"format=date-time" jsonschema_description:"Last status change"`
}

func summarizeUser(u *okta.User) userSummary {
	p := u.Profile
	return userSummary{
		ID:            u.ID,
		Status:        u.Status,
		FirstName:     p.StringPtr("firstName"),
		LastName:      p.StringPtr("lastName"),
		Email:         p.StringPtr("email"),
		Login:         p.StringPtr("login"),
		MobilePhone:   p.StringPtr("mobilePhone"),
		Title:         p.StringPtr("title"),
		Department:    p.StringPtr("department"),
		Created:       timestamp(u.Created),
		LastLogin:     timestamp(u.LastLogin),
		LastUpdated:   timestamp(u.LastUpdated),
		Activated:     timestamp(u.Activated),
		StatusChanged: timestamp(u.StatusChanged),
	}
}

func summarizeUsers(users []okta.User) []userSummary {
	out := make([]userSummary, len(users))
	for i := range users {
		out[i] = summarizeUser(&users[i])
	}
	return out
}

type listUsersOutput struct {
	Users      []userSummary `json:"users" jsonschema_description:"The users of this page"`
	Count      int           `json:"count" jsonschema:"type=number" jsonschema_description:"Number of users returned in this call"`
	NextCursor *string       `json:"nextCursor" jsonschema_description:"Pass as after to get the next users; null when there are no more"`
	Success    bool          `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type userDetailOutput struct {
	ID              string  `json:"id" jsonschema_description:"Okta user id (00u...)"`
	Status          string  `json:"status" jsonschema_description:"User status: STAGED, PROVISIONED, ACTIVE, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED or DEPROVISIONED"`
	FirstName       *string `json:"firstName"`
	LastName        *string `json:"lastName"`
	Email           *string `json:"email" jsonschema_description:"Primary email address"`
	Login           *string `json:"login" jsonschema_description:"Login (usually the email address)"`
	MobilePhone     *string `json:"mobilePhone"`
	SecondEmail     *string `json:"secondEmail"`
	DisplayName     *string `json:"displayName"`
	Title           *string `json:"title"`
	Department      *string `json:"department"`
	Organization    *string `json:"organization"`
	Manager         *string `json:"manager"`
	ManagerID       *string `json:"managerId"`
	Division        *string `json:"division"`
	EmployeeNumber  *string `json:"employeeNumber"`
	UserType        *string `json:"userType"`
	Created         *string `json:"created" jsonschema:"format=date-time" jsonschema_description:"When the user was created"`
	Activated       *string `json:"activated" jsonschema:"format=date-time" jsonschema_description:"When the user was activated (null if never)"`
	LastLogin       *string `json:"lastLogin" jsonschema:"format=date-time" jsonschema_description:"Last sign-in (null if never)"`
	LastUpdated     *string `json:"lastUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the user"`
	StatusChanged   *string `json:"statusChanged" jsonschema:"format=date-time" jsonschema_description:"Last status change"`
	PasswordChanged *string `json:"passwordChanged" jsonschema:"format=date-time" jsonschema_description:"Last password change (null if never)"`
	Success         bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

func detailUser(u *okta.User) userDetailOutput {
	p := u.Profile
	return userDetailOutput{
		ID:              u.ID,
		Status:          u.Status,
		FirstName:       p.StringPtr("firstName"),
		LastName:        p.StringPtr("lastName"),
		Email:           p.StringPtr("email"),
		Login:           p.StringPtr("login"),
		MobilePhone:     p.StringPtr("mobilePhone"),
		SecondEmail:     p.StringPtr("secondEmail"),
		DisplayName:     p.StringPtr("displayName"),
		Title:           p.StringPtr("title"),
		Department:      p.StringPtr("department"),
		Organization:    p.StringPtr("organization"),
		Manager:         p.StringPtr("manager"),
		ManagerID:       p.StringPtr("managerId"),
		Division:        p.StringPtr("division"),
		EmployeeNumber:  p.StringPtr("employeeNumber"),
		UserType:        p.StringPtr("userType"),
		Created:         timestamp(u.Created),
		Activated:       timestamp(u.Activated),
		LastLogin:       timestamp(u.LastLogin),
		LastUpdated:     timestamp(u.LastUpdated),
		StatusChanged:   timestamp(u.StatusChanged),
		PasswordChanged: timestamp(u.PasswordChanged),
		Success:         true,
	}
}

// userWriteOutput is the result of creating or updating a user.
type userWriteOutput struct {
	ID          string  `json:"id" jsonschema_description:"Okta user id (00u...)"`
	Status      string  `json:"status" jsonschema_description:"User status after the call (STAGED, PROVISIONED, ACTIVE, ...)"`
	FirstName   *string `json:"firstName"`
	LastName    *string `json:"lastName"`
	Email       *string `json:"email" jsonschema_description:"Primary email address"`
	Login       *string `json:"login" jsonschema_description:"Login"`
	Created     *string `json:"created" jsonschema:"format=date-time" jsonschema_description:"When the user was created"`
	LastUpdated *string `json:"lastUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the user"`
	Message     string  `json:"message" jsonschema_description:"What happened, in words"`
	Success     bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

func userWrite(u *okta.User, msg string) userWriteOutput {
	p := u.Profile
	return userWriteOutput{
		ID:          u.ID,
		Status:      u.Status,
		FirstName:   p.StringPtr("firstName"),
		LastName:    p.StringPtr("lastName"),
		Email:       p.StringPtr("email"),
		Login:       p.StringPtr("login"),
		Created:     timestamp(u.Created),
		LastUpdated: timestamp(u.LastUpdated),
		Message:     msg,
		Success:     true,
	}
}

type activateOutput struct {
	UserID          string  `json:"userId" jsonschema_description:"Okta id of the activated user"`
	Activated       bool    `json:"activated" jsonschema_description:"Whether the user was activated"`
	ActivationURL   *string `json:"activationUrl" jsonschema_description:"Activation link for the user (only when sendEmail is false; null otherwise). Hand it only to the user it belongs to."`
	ActivationToken *string `json:"activationToken" jsonschema_description:"Activation token (only when sendEmail is false; null otherwise). Treat it like a password."`
	Success         bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type deactivateOutput struct {
	UserID      string `json:"userId" jsonschema_description:"Okta id of the deactivated user"`
	Deactivated bool   `json:"deactivated" jsonschema_description:"Whether the user is deactivated (DEPROVISIONED) now"`
	Changed     bool   `json:"changed" jsonschema_description:"false when the user already was DEPROVISIONED: nothing was sent to Okta"`
	Message     string `json:"message" jsonschema_description:"What happened, in words"`
	Success     bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type suspendOutput struct {
	UserID    string `json:"userId" jsonschema_description:"Okta id of the suspended user"`
	Suspended bool   `json:"suspended" jsonschema_description:"Whether the user is SUSPENDED now"`
	Changed   bool   `json:"changed" jsonschema_description:"false when the user already was SUSPENDED: nothing was sent to Okta"`
	Message   string `json:"message" jsonschema_description:"What happened, in words"`
	Success   bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type unsuspendOutput struct {
	UserID      string `json:"userId" jsonschema_description:"Okta id of the unsuspended user"`
	Unsuspended bool   `json:"unsuspended" jsonschema_description:"Whether the user is no longer suspended (ACTIVE now)"`
	Changed     bool   `json:"changed" jsonschema_description:"false when the user already was ACTIVE: nothing was sent to Okta"`
	Message     string `json:"message" jsonschema_description:"What happened, in words"`
	Success     bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type resetPasswordOutput struct {
	UserID           string  `json:"userId" jsonschema_description:"Okta id of the user"`
	ResetPasswordURL *string `json:"resetPasswordUrl" jsonschema_description:"One-time password reset link (only when sendEmail is false; null otherwise). Hand it only to the user it belongs to."`
	Success          bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type deleteUserOutput struct {
	UserID  string  `json:"userId" jsonschema_description:"Okta id of the user"`
	Deleted bool    `json:"deleted" jsonschema_description:"true when the user is gone for good; false when Okta only deactivated it (call again to delete)"`
	Status  *string `json:"status" jsonschema_description:"The user's status after the call (DEPROVISIONED when only deactivated); null when deleted"`
	Message string  `json:"message" jsonschema_description:"What happened and what a second call would do"`
	Success bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// groupInfo is a group as results show it.
type groupInfo struct {
	ID                    string  `json:"id" jsonschema_description:"Okta group id (00g...)"`
	Name                  string  `json:"name" jsonschema_description:"Group name"`
	Description           *string `json:"description" jsonschema_description:"Group description (null when none)"`
	Type                  string  `json:"type" jsonschema_description:"Group type: OKTA_GROUP (managed in Okta), APP_GROUP (imported from an app) or BUILT_IN (e.g. Everyone)"`
	Created               *string `json:"created" jsonschema:"format=date-time" jsonschema_description:"When the group was created"`
	LastUpdated           *string `json:"lastUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the group's profile"`
	LastMembershipUpdated *string `json:"lastMembershipUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the group's members"`
}

func describeGroup(g *okta.Group) groupInfo {
	return groupInfo{
		ID:                    g.ID,
		Name:                  g.Profile.Name,
		Description:           g.Profile.Description,
		Type:                  g.Type,
		Created:               timestamp(g.Created),
		LastUpdated:           timestamp(g.LastUpdated),
		LastMembershipUpdated: timestamp(g.LastMembershipUpdated),
	}
}

type groupOutput struct {
	groupInfo
	Success bool `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type listGroupsOutput struct {
	Groups     []groupInfo `json:"groups" jsonschema_description:"The groups of this page"`
	Count      int         `json:"count" jsonschema:"type=number" jsonschema_description:"Number of groups returned in this call"`
	NextCursor *string     `json:"nextCursor" jsonschema_description:"Pass as after to get the next groups; null when there are no more"`
	Success    bool        `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type deleteGroupOutput struct {
	GroupID string `json:"groupId" jsonschema_description:"Okta id of the deleted group"`
	Deleted bool   `json:"deleted" jsonschema_description:"Whether the group was deleted"`
	Success bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type addMemberOutput struct {
	GroupID string `json:"groupId" jsonschema_description:"Okta group id"`
	UserID  string `json:"userId" jsonschema_description:"Okta id of the user added to the group"`
	Added   bool   `json:"added" jsonschema_description:"Whether the user is now a member"`
	Message string `json:"message" jsonschema_description:"What happened, in words (Okta answers the same whether or not the user already was a member)"`
	Success bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type removeMemberOutput struct {
	GroupID string `json:"groupId" jsonschema_description:"Okta group id"`
	UserID  string `json:"userId" jsonschema_description:"Okta id of the user removed from the group"`
	Removed bool   `json:"removed" jsonschema_description:"Whether the user is no longer a member"`
	Message string `json:"message" jsonschema_description:"What happened, in words (Okta answers the same whether or not the user was a member)"`
	Success bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type listMembersOutput struct {
	Members    []userSummary `json:"members" jsonschema_description:"The group's members in this page"`
	Count      int           `json:"count" jsonschema:"type=number" jsonschema_description:"Number of members returned in this call"`
	NextCursor *string       `json:"nextCursor" jsonschema_description:"Pass as after to get the next members; null when there are no more"`
	Success    bool          `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
