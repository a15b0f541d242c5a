package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

type listGroupsInput struct {
	Search string   `json:"search,omitempty" jsonschema:"minLength=1" jsonschema_description:"Okta search expression for groups: eq, sw, co (co only on profile.name and profile.description) on profile attributes, type, id, created, lastUpdated, lastMembershipUpdated; and/or; string values in double quotes. Examples: profile.name sw \"Engineering\"; type eq \"OKTA_GROUP\". Do not combine with filter."`
	Filter string   `json:"filter,omitempty" jsonschema:"minLength=1" jsonschema_description:"Okta filter expression for groups: only id, type (eq) and lastUpdated, lastMembershipUpdated (eq, gt, lt), joined with and/or. Example: type eq \"OKTA_GROUP\". Do not combine with search."`
	Limit  *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=10000,multipleOf=1,default=10000" jsonschema_description:"Maximum number of groups to return in this call (whole number, 1 to 10000; default 10000). Use after/nextCursor for more."`
	After  string   `json:"after,omitempty" jsonschema:"minLength=1" jsonschema_description:"Paging cursor: the nextCursor of a previous call with the same search/filter. Omit for the first page."`
	fieldsInput
}

// ListGroups is okta_list_groups.
func ListGroups(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[listGroupsInput]{
		name:        "okta_list_groups",
		title:       "List groups",
		description: "List groups in the Okta organization, optionally narrowed by an Okta search or filter expression; use it to find a group's id by name. Returns up to limit groups per call; when nextCursor is not null, call again with after=nextCursor for more.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[listGroupsOutput](),
	}, func(ctx context.Context, c *call, in listGroupsInput) *mcp.CallToolResult {
		if in.Search != "" && in.Filter != "" {
			c.outcome = "invalid_arguments"
			return errorResult("okta_list_groups: invalid arguments: give search or filter, not both (Okta rejects the combination). Nothing was sent to Okta.")
		}
		if p := enumCaseProblem(in.Search+" "+in.Filter, "type", groupTypes); p != "" {
			c.outcome = "invalid_arguments"
			return errorResult("okta_list_groups: invalid arguments: " + p + ". Nothing was sent to Okta.")
		}
		limit := limitOr(in.Limit, 10000)
		groups, next, resp, err := collect(ctx, c, limit, in.After, "groups", func(after string, n int) ([]okta.Group, *okta.Response, error) {
			return c.client.ListGroups(ctx, &okta.ListGroupsParams{Search: in.Search, Filter: in.Filter, After: after, Limit: n})
		})
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "list groups"})
		}
		out := listGroupsOutput{Groups: make([]groupInfo, len(groups)), Count: len(groups), NextCursor: cursorPtr(next), Success: true}
		for i := range groups {
			out.Groups[i] = describeGroup(&groups[i])
		}
		return c.ok(out)
	})
}

type groupIDInput struct {
	GroupID string `json:"groupId" jsonschema:"minLength=1" jsonschema_description:"The group's Okta id (00g...). Find it by name with okta_list_groups."`
}

// GetGroup is okta_get_group.
func GetGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[groupIDInput]{
		name:        "okta_get_group",
		title:       "Get group",
		description: "Get one group of the Okta organization by id: name, description, type (OKTA_GROUP, APP_GROUP, BUILT_IN) and timestamps.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[groupOutput](),
		ids:         func(in groupIDInput) []idParam { return []idParam{{"groupId", in.GroupID}} },
	}, func(ctx context.Context, c *call, in groupIDInput) *mcp.CallToolResult {
		g, resp, err := c.client.GetGroup(ctx, in.GroupID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: fmt.Sprintf("get group %q", in.GroupID), notFound: groupNotFound(in.GroupID)})
		}
		return c.ok(groupOutput{groupInfo: describeGroup(g), Success: true})
	})
}

type createGroupInput struct {
	Name        string  `json:"name" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Name of the group, unique in the org, e.g. \"Engineering - Contractors\"."`
	Description *string `json:"description,omitempty" jsonschema:"maxLength=1024" jsonschema_description:"What the group is for."`
}

// CreateGroup is okta_create_group.
func CreateGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[createGroupInput]{
		name:        "okta_create_group",
		title:       "Create group",
		description: "Create a group (type OKTA_GROUP) in the Okta organization. Not idempotent: if the outcome is unknown, look the name up with okta_list_groups before trying again.",
		output:      schema.Output[groupOutput](),
	}, func(ctx context.Context, c *call, in createGroupInput) *mcp.CallToolResult {
		g, resp, err := c.client.CreateGroup(ctx, okta.GroupProfile{Name: in.Name, Description: in.Description})
		c.noteResponse(resp)
		if err != nil {
			f := failure{
				action: fmt.Sprintf("create group %q", in.Name),
				create: true,
				lookup: fmt.Sprintf("Look the name up with okta_list_groups (search profile.name eq %q)", in.Name),
			}
			if oe, ok := okta.AsError(err); ok && oe.ErrorCode == "E0000001" && strings.Contains(causesText(oe), "already exists") {
				f.hint = fmt.Sprintf("a group named %q already exists. Find its id with okta_list_groups (search profile.name eq %q), or choose another name.", in.Name, in.Name)
			}
			return c.fail(ctx, err, resp, f)
		}
		c.target = g.ID + " (" + in.Name + ")"
		return c.ok(groupOutput{groupInfo: describeGroup(g), Success: true})
	})
}

type updateGroupInput struct {
	GroupID     string  `json:"groupId" jsonschema:"minLength=1" jsonschema_description:"The group's Okta id (00g...)."`
	Name        string  `json:"name" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"The group's name after the update (pass the current name to keep it)."`
	Description *string `json:"description,omitempty" jsonschema:"maxLength=1024" jsonschema_description:"New description. Omit it to keep the current description; an empty string clears it."`
}

// UpdateGroup is okta_update_group.
func UpdateGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[updateGroupInput]{
		name:        "okta_update_group",
		title:       "Update group",
		description: "Rename a group or change its description in the Okta organization. Only OKTA_GROUP groups can be updated (not APP_GROUP or BUILT_IN). Okta replaces the whole profile, so this tool keeps the current description when you do not pass one.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[groupOutput](),
		ids:         func(in updateGroupInput) []idParam { return []idParam{{"groupId", in.GroupID}} },
	}, func(ctx context.Context, c *call, in updateGroupInput) *mcp.CallToolResult {
		cur, r := c.lookupGroup(ctx, in.GroupID)
		if r != nil {
			return r
		}
		// Okta replaces the whole profile: start from the current one so that
		// the description (unless given) and custom attributes are kept.
		profile := cur.Profile
		profile.Name = in.Name
		if in.Description != nil {
			profile.Description = in.Description
		}
		g, resp, err := c.client.ReplaceGroup(ctx, cur.ID, profile)
		c.noteResponse(resp)
		if err != nil {
			f := failure{action: fmt.Sprintf("update group %s", groupLabel(cur)), notFound: groupNotFound(in.GroupID)}
			if cur.Type != okta.GroupTypeOkta {
				f.hint = fmt.Sprintf("only OKTA_GROUP groups can be updated; this group is %s (APP_GROUP groups are managed by their app's imports, BUILT_IN groups by Okta).", cur.Type)
			} else if oe, ok := okta.AsError(err); ok && oe.ErrorCode == "E0000001" && strings.Contains(causesText(oe), "already exists") {
				f.hint = fmt.Sprintf("another group is already named %q; choose another name.", in.Name)
			}
			return c.fail(ctx, err, resp, f)
		}
		return c.ok(groupOutput{groupInfo: describeGroup(g), Success: true})
	})
}

// DeleteGroup is okta_delete_group.
func DeleteGroup(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[groupIDInput]{
		name:        "okta_delete_group",
		title:       "Delete group",
		description: "Delete a group from the Okta organization. Its members lose the apps and policies granted through it; the users themselves are not deleted. OKTA_GROUP and APP_GROUP groups can be deleted, BUILT_IN ones (Everyone) cannot. Cannot be undone. The human user may be asked to confirm.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[deleteGroupOutput](),
		ids:         func(in groupIDInput) []idParam { return []idParam{{"groupId", in.GroupID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in groupIDInput) *mcp.CallToolResult {
		g, r := c.lookupGroup(ctx, in.GroupID)
		if r != nil {
			return r
		}
		if r := c.confirm(ctx, c.groupConfirmation(g, "delete the group "+groupLabel(g),
			fmt.Sprintf("An AI agent wants to PERMANENTLY delete the Okta group %s. Its members lose whatever the group grants them. This cannot be undone. Allow it?", groupLabel(g)))); r != nil {
			return r
		}
		resp, err := c.client.DeleteGroup(ctx, g.ID)
		c.noteResponse(resp)
		if okta.IsNotFound(err) {
			// The group existed a moment ago: a 404 now means it is gone,
			// typically because an earlier attempt of this DELETE succeeded
			// but its answer was lost and the client retried.
			return c.ok(deleteGroupOutput{GroupID: g.ID, Deleted: true, Success: true})
		}
		if err != nil {
			f := failure{action: "delete group " + groupLabel(g), notFound: groupNotFound(in.GroupID)}
			if g.Type == okta.GroupTypeBuiltIn {
				f.hint = "BUILT_IN groups (such as Everyone) are managed by Okta and cannot be deleted."
			}
			return c.fail(ctx, err, resp, f)
		}
		return c.ok(deleteGroupOutput{GroupID: g.ID, Deleted: true, Success: true})
	})
}

// lookupGroup gets the group a call is about.
func (c *call) lookupGroup(ctx context.Context, id string) (*okta.Group, *mcp.CallToolResult) {
	g, resp, err := c.client.GetGroup(ctx, id)
	c.noteResponse(resp)
	if err != nil {
		return nil, c.fail(ctx, err, resp, failure{action: fmt.Sprintf("look up group %q", id), notFound: groupNotFound(id)})
	}
	c.target = g.ID + " (" + g.Profile.Name + ")"
	return g, nil
}

// groupLabel names a group for people, the name quoted and escaped:
// "Sales" (00g1, OKTA_GROUP).
func groupLabel(g *okta.Group) string {
	return fmt.Sprintf("%s (%s, %s)", q(g.Profile.Name), plain(g.ID), plain(g.Type))
}

// groupTarget is what questions about a group describe.
func groupTarget(g *okta.Group) confirmTarget {
	return confirmTarget{ids: []string{g.ID}, state: map[string]string{"name": g.Profile.Name, "type": g.Type}}
}

// groupConfirmation is a question about g, re-read by its id after the answer.
func (c *call) groupConfirmation(g *okta.Group, action, question string) confirmation {
	id := g.ID
	return confirmation{action: action, question: question, target: groupTarget(g),
		reread: func(ctx context.Context) (confirmTarget, *mcp.CallToolResult) {
			now, resp, err := c.client.GetGroup(ctx, id)
			c.noteResponse(resp)
			if err != nil {
				return confirmTarget{}, c.fail(ctx, err, resp, failure{action: "read the group " + plain(id) + " again after the confirmation", notFound: groupNotFound(id)})
			}
			return groupTarget(now), nil
		}}
}
