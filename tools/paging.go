package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
)

// pageSize is the page size asked of Okta when a list tool follows pages:
// Okta recommends at most 200 per page for users, groups and members.
// Tests lower it to see several pages.
var pageSize = 200

// collect follows Okta's pages from cursor after until limit items are
// fetched or there are no more, sending a progress notification after each
// page when the client asked for progress. It returns the items, the cursor
// of the next page ("" when there are no more) and the last response.
func collect[T any](ctx context.Context, c *call, limit int, after, noun string,
	fetch func(after string, limit int) ([]T, *okta.Response, error),
) ([]T, string, *okta.Response, error) {
	var items []T
	var resp *okta.Response
	cursor := after
	for page := 1; ; page++ {
		n := min(limit-len(items), pageSize)
		got, r, err := fetch(cursor, n)
		if r != nil {
			resp = r
		}
		c.noteResponse(r)
		if err != nil {
			return items, "", resp, err
		}
		items = append(items, got...)
		cursor = ""
		if r != nil {
			cursor = r.NextCursor
		}
		if cursor == "" || len(items) >= limit || len(got) == 0 {
			if len(got) == 0 && len(items) < limit {
				cursor = ""
			}
			return items, cursor, resp, nil
		}
		c.progress(ctx, len(items), fmt.Sprintf("fetched %d %s (%d pages)", len(items), noun, page))
		if err := ctx.Err(); err != nil {
			return items, "", resp, err
		}
	}
}

// progress sends a notifications/progress for this call if the client sent a
// progress token. The total is unknown (Okta does not count), so only the
// items fetched so far are reported.
func (c *call) progress(ctx context.Context, done int, msg string) {
	meta := c.req.Params.Meta
	if meta == nil || meta.ProgressToken == nil {
		return
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return
	}
	_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), map[string]any{
		"progressToken": meta.ProgressToken,
		"progress":      done,
		"message":       msg,
	})
}

// limitOr returns the integer value of an optional limit parameter (already
// validated as a whole number within bounds), or def.
func limitOr(v *float64, def int) int {
	if v == nil {
		return def
	}
	return int(*v)
}

// cursorPtr is nil for "no more pages".
func cursorPtr(s string) *string { return strPtr(s) }
