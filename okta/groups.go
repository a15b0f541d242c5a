package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ListGroups lists groups (listGroups: GET /api/v1/groups), one page at a time.
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
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/groups", q, nil, &groups)
	if err != nil {
		return nil, resp, err
	}
	return groups, resp, nil
}

// GetGroup fetches one group (getGroup: GET /api/v1/groups/{groupId}).
func (c *Client) GetGroup(ctx context.Context, groupID string) (*Group, *Response, error) {
	p, err := pathFor("/api/v1/groups/%s", groupID)
	if err != nil {
		return nil, nil, err
	}
	var g Group
	resp, err := c.call(ctx, http.MethodGet, p, nil, nil, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// CreateGroup creates an OKTA_GROUP (addGroup: POST /api/v1/groups). It is
// never retried once the request may have reached Okta.
func (c *Client) CreateGroup(ctx context.Context, profile GroupProfile) (*Group, *Response, error) {
	var g Group
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/groups", nil, map[string]any{"profile": profile}, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// ReplaceGroup replaces a group's whole profile
// (replaceGroup: PUT /api/v1/groups/{groupId}).
func (c *Client) ReplaceGroup(ctx context.Context, groupID string, profile GroupProfile) (*Group, *Response, error) {
	p, err := pathFor("/api/v1/groups/%s", groupID)
	if err != nil {
		return nil, nil, err
	}
	var g Group
	resp, err := c.call(ctx, http.MethodPut, p, nil, map[string]any{"profile": profile}, &g)
	if err != nil {
		return nil, resp, err
	}
	return &g, resp, nil
}

// DeleteGroup deletes a group (deleteGroup: DELETE /api/v1/groups/{groupId}).
func (c *Client) DeleteGroup(ctx context.Context, groupID string) (*Response, error) {
	p, err := pathFor("/api/v1/groups/%s", groupID)
	if err != nil {
		return nil, err
	}
	return c.call(ctx, http.MethodDelete, p, nil, nil, nil)
}

// AddUserToGroup adds a user, by id, to a group
// (assignUserToGroup: PUT /api/v1/groups/{groupId}/users/{userId}).
func (c *Client) AddUserToGroup(ctx context.Context, groupID, userID string) (*Response, error) {
	p, err := pathFor("/api/v1/groups/%s/users/%s", groupID, userID)
	if err != nil {
		return nil, err
	}
	return c.call(ctx, http.MethodPut, p, nil, nil, nil)
}

// RemoveUserFromGroup removes a user, by id, from a group
// (unassignUserFromGroup: DELETE /api/v1/groups/{groupId}/users/{userId}).
func (c *Client) RemoveUserFromGroup(ctx context.Context, groupID, userID string) (*Response, error) {
	p, err := pathFor("/api/v1/groups/%s/users/%s", groupID, userID)
	if err != nil {
		return nil, err
	}
	return c.call(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListGroupMembers lists a group's users, one page at a time
// (listGroupUsers: GET /api/v1/groups/{groupId}/users).
func (c *Client) ListGroupMembers(ctx context.Context, groupID string, p *ListParams) ([]User, *Response, error) {
	path, err := pathFor("/api/v1/groups/%s/users", groupID)
	if err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if p != nil {
		setQuery(q, "after", p.After)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var users []User
	resp, err := c.call(ctx, http.MethodGet, path, q, nil, &users)
	if err != nil {
		return nil, resp, err
	}
	return users, resp, nil
}
