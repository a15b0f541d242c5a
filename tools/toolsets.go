package tools

// Toolset is a named group of tools; --toolsets and --read-only work on its
// read and write lists.
type Toolset struct {
	Name        string
	Description string
	Read        []ToolFunc // tools that never change Okta
	Write       []ToolFunc // tools that change Okta
}

// Toolset names.
const (
	ToolsetUsers     = "users"
	ToolsetLifecycle = "lifecycle"
	ToolsetGroups    = "groups"
	ToolsetMembers   = "members"
	// ToolsetAll selects every toolset.
	ToolsetAll = "all"
)

// Toolsets returns every toolset, in catalog order.
func Toolsets() []Toolset {
	return []Toolset{
		{
			Name:        ToolsetUsers,
			Description: "Find, read, create and update users.",
			Read:        []ToolFunc{ListUsers, GetUser},
			Write:       []ToolFunc{CreateUser, UpdateUser},
		},
		{
			Name:        ToolsetLifecycle,
			Description: "Activate, deactivate, suspend, unsuspend, reset passwords and delete users.",
			Write:       []ToolFunc{ActivateUser, DeactivateUser, SuspendUser, UnsuspendUser, ResetPassword, DeleteUser},
		},
		{
			Name:        ToolsetGroups,
			Description: "Find, read, create, update and delete groups.",
			Read:        []ToolFunc{ListGroups, GetGroup},
			Write:       []ToolFunc{CreateGroup, UpdateGroup, DeleteGroup},
		},
		{
			Name:        ToolsetMembers,
			Description: "List group members, add users to groups and remove them.",
			Read:        []ToolFunc{ListGroupMembers},
			Write:       []ToolFunc{AddUserToGroup, RemoveUserFromGroup},
		},
	}
}
