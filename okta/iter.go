package okta

import (
	"context"
	"iter"
)

// DefaultMaxPages is the page cap of the iterators when maxPages <= 0.
const DefaultMaxPages = 50

// UsersIter lists users like ListUsers, following Okta's rel="next" cursors
// lazily: a page is fetched only when the loop needs it, and breaking out of
// the loop fetches nothing more. It stops after maxPages pages
// (DefaultMaxPages when maxPages <= 0); if Okta has more, the last pair it
// yields is a zero User and a *PageLimitError (errors.Is(err,
// ErrPageLimit)) whose NextCursor resumes the listing. Any other error is
// yielded once, last.
//
//	for u, err := range c.UsersIter(ctx, okta.ListUsersParams{Search: `status eq "ACTIVE"`}, 10) {
//		if err != nil { ... }
//	}
func (c *Client) UsersIter(ctx context.Context, p ListUsersParams, maxPages int) iter.Seq2[User, error] {
	return paginate(maxPages, p.After, func(after string) ([]User, *Response, error) {
		p.After = after
		return c.ListUsers(ctx, &p)
	})
}

// GroupsIter lists groups like ListGroups, following the pages lazily; see
// UsersIter for the page cap and errors.
func (c *Client) GroupsIter(ctx context.Context, p ListGroupsParams, maxPages int) iter.Seq2[Group, error] {
	return paginate(maxPages, p.After, func(after string) ([]Group, *Response, error) {
		p.After = after
		return c.ListGroups(ctx, &p)
	})
}

// GroupMembersIter lists a group's users like ListGroupMembers, following
// the pages lazily; see UsersIter for the page cap and errors.
func (c *Client) GroupMembersIter(ctx context.Context, groupID string, p ListParams, maxPages int) iter.Seq2[User, error] {
	return paginate(maxPages, p.After, func(after string) ([]User, *Response, error) {
		p.After = after
		return c.ListGroupMembers(ctx, groupID, &p)
	})
}

func paginate[T any](maxPages int, after string, page func(after string) ([]T, *Response, error)) iter.Seq2[T, error] {
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		for n := 0; ; n++ {
			if n == maxPages {
				yield(zero, &PageLimitError{MaxPages: maxPages, NextCursor: after})
				return
			}
			items, resp, err := page(after)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			seen[after] = true
			if resp == nil || resp.NextCursor == "" || seen[resp.NextCursor] {
				return // last page (or a cursor loop, which would never end)
			}
			after = resp.NextCursor
		}
	}
}

// UserGroupsIter lists the groups of a user like ListUserGroups, following
// the pages lazily; see UsersIter for the page cap and errors.
func (c *Client) UserGroupsIter(ctx context.Context, idOrLogin string, p ListParams, maxPages int) iter.Seq2[Group, error] {
	return paginate(maxPages, p.After, func(after string) ([]Group, *Response, error) {
		p.After = after
		return c.ListUserGroups(ctx, idOrLogin, &p)
	})
}
