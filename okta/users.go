package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ListUsers lists users (listUsers: GET /api/v1/users). One page is returned;
// Response.NextCursor holds the cursor of the next page, "" on the last one.
// UsersIter follows the pages.
func (c *Client) ListUsers(ctx context.Context, p *ListUsersParams) ([]User, *Response, error) {
	q := url.Values{}
	if p != nil {
		setQuery(q, "search", p.Search)
		setQuery(q, "filter", p.Filter)
		setQuery(q, "q", p.Q)
		setQuery(q, "after", p.After)
		setQuery(q, "sortBy", p.SortBy)
		setQuery(q, "sortOrder", p.SortOrder)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var users []User
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/users", nil, q, nil, &users)
	if err != nil {
		return nil, resp, err
	}
	return users, resp, nil
}

// GetUser fetches one user by id, login or login shortname
// (getUser: GET /api/v1/users/{id}).
func (c *Client) GetUser(ctx context.Context, idOrLogin string) (*User, *Response, error) {
	var u User
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/users/{id}", []string{idOrLogin}, nil, nil, &u)
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}

// CreateUser creates a user (createUser: POST /api/v1/users?activate=...);
// Okta answers 200. It is never retried once the request may have reached
// Okta: if the outcome is unknown the error satisfies IsOutcomeUnknown, and
// the caller should look the login up before trying again.
func (c *Client) CreateUser(ctx context.Context, body CreateUserRequest, activate bool) (*User, *Response, error) {
	q := url.Values{"activate": {strconv.FormatBool(activate)}}
	var u User
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users", nil, q, body, &u)
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}

// UpdateUser partially updates a user's profile: only the attributes in
// profile change (updateUser: POST /api/v1/users/{id}). Like every POST it
// is not retried once it may have reached Okta.
func (c *Client) UpdateUser(ctx context.Context, idOrLogin string, profile UserProfile) (*User, *Response, error) {
	var u User
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users/{id}", []string{idOrLogin}, nil, map[string]any{"profile": profile}, &u)
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}

// ActivateUser activates a STAGED or DEPROVISIONED user
// (activateUser: POST /api/v1/users/{id}/lifecycle/activate). With sendEmail
// false Okta returns the activation token and URL.
func (c *Client) ActivateUser(ctx context.Context, idOrLogin string, sendEmail bool) (*ActivationToken, *Response, error) {
	var t ActivationToken
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/activate", []string{idOrLogin},
		url.Values{"sendEmail": {strconv.FormatBool(sendEmail)}}, nil, &t)
	if err != nil {
		return nil, resp, err
	}
	return &t, resp, nil
}

// DeactivateUser deactivates a user, who becomes DEPROVISIONED
// (deactivateUser: POST /api/v1/users/{id}/lifecycle/deactivate).
func (c *Client) DeactivateUser(ctx context.Context, idOrLogin string, sendEmail bool) (*Response, error) {
	return c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/deactivate", []string{idOrLogin},
		url.Values{"sendEmail": {strconv.FormatBool(sendEmail)}}, nil, nil)
}

// SuspendUser suspends an ACTIVE user
// (suspendUser: POST /api/v1/users/{id}/lifecycle/suspend).
func (c *Client) SuspendUser(ctx context.Context, idOrLogin string) (*Response, error) {
	return c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/suspend", []string{idOrLogin}, nil, nil, nil)
}

// UnsuspendUser returns a SUSPENDED user to ACTIVE
// (unsuspendUser: POST /api/v1/users/{id}/lifecycle/unsuspend).
func (c *Client) UnsuspendUser(ctx context.Context, idOrLogin string) (*Response, error) {
	return c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/unsuspend", []string{idOrLogin}, nil, nil, nil)
}

// ResetPassword starts a password reset; the user becomes RECOVERY
// (resetPassword: POST /api/v1/users/{id}/lifecycle/reset_password). With
// sendEmail false Okta returns the reset URL.
func (c *Client) ResetPassword(ctx context.Context, idOrLogin string, sendEmail bool) (*ResetPasswordToken, *Response, error) {
	var t ResetPasswordToken
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/reset_password", []string{idOrLogin},
		url.Values{"sendEmail": {strconv.FormatBool(sendEmail)}}, nil, &t)
	if err != nil {
		return nil, resp, err
	}
	return &t, resp, nil
}

// DeleteUser deletes a DEPROVISIONED user; on any other user Okta deactivates
// it instead and a second call deletes (deleteUser: DELETE /api/v1/users/{id});
// Okta answers 204 either way.
func (c *Client) DeleteUser(ctx context.Context, idOrLogin string, sendEmail bool) (*Response, error) {
	return c.call(ctx, http.MethodDelete, "/api/v1/users/{id}", []string{idOrLogin},
		url.Values{"sendEmail": {strconv.FormatBool(sendEmail)}}, nil, nil)
}

func setQuery(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}
