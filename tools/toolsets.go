package tools

// Toolset is a named group of tools; --toolsets and --read-only work on its
// read and write lists.
type Toolset struct {
	Name        string
	Description string
	Read        []ToolFunc // tools that never change Okta
	Write       []ToolFunc // tools that change Okta
	// Default says what of the toolset the default configuration (no
	// --toolsets, no --tools; or the name "default") serves.
	Default Serve
}

// Serve is what of a toolset a configuration serves.
type Serve int

// What the default configuration serves of a toolset.
const (
	ServeNone Serve = iota // only with --toolsets NAME (or all)
	ServeRead              // its read tools; the writes with --toolsets NAME
	ServeAll               // all of it
)

// Toolset names.
const (
	ToolsetUsers     = "users"
	ToolsetLifecycle = "lifecycle"
	ToolsetGroups    = "groups"
	ToolsetMembers   = "members"
	ToolsetSecurity  = "security"
	ToolsetLogs      = "logs"
	ToolsetWorkflows = "workflows"
	// ToolsetAll selects every toolset.
	ToolsetAll = "all"
	// ToolsetDefault selects what a typical admin session needs (each
	// toolset's Default); it is what is served when no toolset or tool is
	// named. tools/list of the default configuration stays under 40 KB
	// (TestToolsListSize).
	ToolsetDefault = "default"
)

// Toolsets returns every toolset, in catalog order.
func Toolsets() []Toolset {
	return []Toolset{
		{
			Name:        ToolsetUsers,
			Description: "Find, read, create and update users.",
			Read:        []ToolFunc{ListUsers, GetUser},
			Write:       []ToolFunc{CreateUser, UpdateUser},
			Default:     ServeAll,
		},
		{
			Name:        ToolsetLifecycle,
			Description: "Activate, deactivate, suspend, unsuspend, unlock, reset and expire passwords, and delete users.",
			Write:       []ToolFunc{ActivateUser, DeactivateUser, SuspendUser, UnsuspendUser, ResetPassword, DeleteUser, UnlockUser, ExpirePassword},
			Default:     ServeAll,
		},
		{
			Name:        ToolsetGroups,
			Description: "Find, read, create, update and delete groups.",
			Read:        []ToolFunc{ListGroups, GetGroup},
			Write:       []ToolFunc{CreateGroup, UpdateGroup, DeleteGroup},
			// Finding a group (for membership changes) is everyday work;
			// creating, renaming and deleting groups is not.
			Default: ServeRead,
		},
		{
			Name:        ToolsetMembers,
			Description: "List group members and a user's groups, add users to groups and remove them.",
			Read:        []ToolFunc{ListGroupMembers, ListUserGroups},
			Write:       []ToolFunc{AddUserToGroup, RemoveUserFromGroup},
			Default:     ServeAll,
		},
		{
			Name:        ToolsetSecurity,
			Description: "A user's MFA factors and sessions: list and reset factors, end sessions and revoke OAuth tokens.",
			Read:        []ToolFunc{ListUserFactors},
			Write:       []ToolFunc{ClearUserSessions, ResetUserFactors},
		},
		{
			Name:        ToolsetLogs,
			Description: "Read the System Log: sign-ins, lockouts, MFA and admin changes.",
			Read:        []ToolFunc{GetSystemLog},
		},
		{
			Name:        ToolsetWorkflows,
			Description: "Whole jobs in one call: offboard a leaver (plan first, then confirmed steps).",
			Write:       []ToolFunc{OffboardUser},
		},
	}
}
