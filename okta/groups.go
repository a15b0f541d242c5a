package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ListGroups lists groups (listGroups: GET /api/v1/groups), one page at a
// time; GroupsIter follows the pages.
func (c *Client) ListGroups(ctx context.Context, p *ListGroupsParams) ([]Group, *Response, error) {
	q := url.Values{}
	if p != nil {
		setQuery(q, "search", p.Search)
		setQuery(q, "filter", p.Filter)
		setQuery(q, "q", p.Q)
		setQuery(q, "after", p.After)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var groups []Group
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/groups", nil, q, nil, &groups)
	if err != nil {
		return nil, resp, err
	}
	return groups, resp, nil
}

// GetGroup fetches one group (getGroup: GET /api/v1/groups/{groupId}).
func (c *Client) GetGroup(ctx context.Context, groupID string) (*Group, *Response, error) {
	var g Group
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/groups/{groupId}", []string{groupID}, nil, nil, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// CreateGroup creates an OKTA_GROUP (addGroup: POST /api/v1/groups); Okta
// answers 200. Group names are not unique in Okta, so it is never retried
// once the request may have reached Okta: if the outcome is unknown the
// error satisfies IsOutcomeUnknown, and the caller should look the name up
// before trying again.
func (c *Client) CreateGroup(ctx context.Context, profile GroupProfile) (*Group, *Response, error) {
	var g Group
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/groups", nil, nil, map[string]any{"profile": profile}, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// ReplaceGroup replaces a group's whole profile
// (replaceGroup: PUT /api/v1/groups/{groupId}).
func (c *Client) ReplaceGroup(ctx context.Context, groupID string, profile GroupProfile) (*Group, *Response, error) {
	var g Group
	resp, err := c.call(ctx, http.MethodPut, "/api/v1/groups/{groupId}", []string{groupID}, nil, map[string]any{"profile": profile}, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// DeleteGroup deletes a group (deleteGroup: DELETE /api/v1/groups/{groupId});
// Okta answers 204.
func (c *Client) DeleteGroup(ctx context.Context, groupID string) (*Response, error) {
	return c.call(ctx, http.MethodDelete, "/api/v1/groups/{groupId}", []string{groupID}, nil, nil, nil)
}

// AddUserToGroup adds a user, by id, to a group
// (assignUserToGroup: PUT /api/v1/groups/{groupId}/users/{userId}, empty
// body with Content-Length: 0); Okta answers 204.
func (c *Client) AddUserToGroup(ctx context.Context, groupID, userID string) (*Response, error) {
	return c.call(ctx, http.MethodPut, "/api/v1/groups/{groupId}/users/{userId}", []string{groupID, userID}, nil, nil, nil)
}

// RemoveUserFromGroup removes a user, by id, from a group
// (unassignUserFromGroup: DELETE /api/v1/groups/{groupId}/users/{userId});
// Okta answers 204.
func (c *Client) RemoveUserFromGroup(ctx context.Context, groupID, userID string) (*Response, error) {
	return c.call(ctx, http.MethodDelete, "/api/v1/groups/{groupId}/users/{userId}", []string{groupID, userID}, nil, nil, nil)
}

// ListGroupMembers lists a group's users, one page at a time
// (listGroupUsers: GET /api/v1/groups/{groupId}/users); GroupMembersIter
// follows the pages.
func (c *Client) ListGroupMembers(ctx context.Context, groupID string, p *ListParams) ([]User, *Response, error) {
	q := url.Values{}
	if p != nil {
		setQuery(q, "after", p.After)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var users []User
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/groups/{groupId}/users", []string{groupID}, q, nil, &users)
	if err != nil {
		return nil, resp, err
	}
	return users, resp, nil
}
