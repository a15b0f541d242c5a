package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

type membershipInput struct {
	GroupID string `json:"groupId" jsonschema:"minLength=1" jsonschema_description:"The group's Okta id (00g...). Find it by name with okta_list_groups."`
	UserID  string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user: Okta id (00u...) or login (usually the email address); a login is resolved to the id first."`
}

func membershipIDs(in membershipInput) []idParam {
	return []idParam{{"groupId", in.GroupID}, {"userId", in.UserID}}
}

// AddUserToGroup is okta_add_user_to_group.
func AddUserToGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[membershipInput]{
		name:        "okta_add_user_to_group",
		title:       "Add user to group",
		description: "Add a user to a group in the Okta organization (granting whatever the group grants). Only OKTA_GROUP groups can be changed. Adding a member again is harmless.",
		idempotent:  true,
		output:      schema.Output[addMemberOutput](),
		ids:         membershipIDs,
	}, func(ctx context.Context, c *call, in membershipInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		c.target = c.target + " -> group " + in.GroupID
		resp, err := c.client.AddUserToGroup(ctx, in.GroupID, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, c.membershipFailure(ctx, "add "+userLabel(u)+" to group "+in.GroupID, in.GroupID))
		}
		return c.ok(addMemberOutput{GroupID: in.GroupID, UserID: u.ID, Added: true, Success: true,
			Message: "The user is a member of the group now. Okta answers the same whether or not they already were, so whether this call changed anything is not known."})
	})
}

// RemoveUserFromGroup is okta_remove_user_from_group.
func RemoveUserFromGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[membershipInput]{
		name:        "okta_remove_user_from_group",
		title:       "Remove user from group",
		description: "Remove a user from a group in the Okta organization (they lose whatever the group grants). Only OKTA_GROUP groups can be changed. Removing a non-member is harmless.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[removeMemberOutput](),
		ids:         membershipIDs,
	}, func(ctx context.Context, c *call, in membershipInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		c.target = c.target + " -> group " + in.GroupID
		resp, err := c.client.RemoveUserFromGroup(ctx, in.GroupID, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, c.membershipFailure(ctx, "remove "+userLabel(u)+" from group "+in.GroupID, in.GroupID))
		}
		return c.ok(removeMemberOutput{GroupID: in.GroupID, UserID: u.ID, Removed: true, Success: true,
			Message: "The user is not a member of the group now. Okta answers the same whether or not they were, so whether this call changed anything is not known."})
	})
}

// membershipFailure explains a failed membership change: the user exists (it
// was just read), so a 404 is about the group, and a 4xx on an existing
// group is usually its type.
func (c *call) membershipFailure(ctx context.Context, action, groupID string) failure {
	f := failure{action: action, notFound: groupNotFound(groupID)}
	if g, _, err := c.client.GetGroup(ctx, groupID); err == nil && g.Type != okta.GroupTypeOkta {
		f.hint = fmt.Sprintf("only the members of OKTA_GROUP groups can be changed; %s is %s (APP_GROUP members come from the app's imports; BUILT_IN groups such as Everyone are managed by Okta).", groupLabel(g), g.Type)
	}
	return f
}

type listMembersInput struct {
	GroupID string   `json:"groupId" jsonschema:"minLength=1" jsonschema_description:"The group's Okta id (00g...). Find it by name with okta_list_groups."`
	Limit   *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=1000,multipleOf=1,default=1000" jsonschema_description:"Maximum number of members to return in this call (whole number, 1 to 1000; default 1000). Use after/nextCursor for more."`
	After   string   `json:"after,omitempty" jsonschema:"minLength=1" jsonschema_description:"Paging cursor: the nextCursor of a previous call for the same group. Omit for the first page."`
	fieldsInput
}

// ListGroupMembers is okta_list_group_members.
func ListGroupMembers(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[listMembersInput]{
		name:        "okta_list_group_members",
		title:       "List group members",
		description: "List the users who are members of a group in the Okta organization. Returns up to limit members per call; when nextCursor is not null, call again with after=nextCursor for more.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[listMembersOutput](),
		ids:         func(in listMembersInput) []idParam { return []idParam{{"groupId", in.GroupID}} },
	}, func(ctx context.Context, c *call, in listMembersInput) *mcp.CallToolResult {
		limit := limitOr(in.Limit, 1000)
		users, next, resp, err := collect(ctx, c, limit, in.After, "members", func(after string, n int) ([]okta.User, *okta.Response, error) {
			return c.client.ListGroupMembers(ctx, in.GroupID, &okta.ListParams{After: after, Limit: n})
		})
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: fmt.Sprintf("list the members of group %q", in.GroupID), notFound: groupNotFound(in.GroupID)})
		}
		return c.ok(listMembersOutput{Members: summarizeUsers(users), Count: len(users), NextCursor: cursorPtr(next), Success: true})
	})
}
