package okta

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNextCursor(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"none", http.Header{}, ""},
		{"self only", http.Header{"Link": {`<https://x/api/v1/users?limit=2>; rel="self"`}}, ""},
		{"repeated headers", http.Header{"Link": {
			`<https://x/api/v1/users?limit=2>; rel="self"`,
			`<https://x/api/v1/users?after=00u3p62n11UKppeh31d7&limit=2>; rel="next"`,
		}}, "00u3p62n11UKppeh31d7"},
		{"comma-joined", http.Header{"Link": {
			`<https://x/api/v1/users?limit=2>; rel="self", <https://x/api/v1/users?after=abc&limit=2>; rel="next"`,
		}}, "abc"},
		{"next first", http.Header{"Link": {`<https://x/u?after=n1>; rel="next", <https://x/u>; rel="self"`}}, "n1"},
		{"unquoted rel", http.Header{"Link": {`<https://x/u?after=u1>; rel=next`}}, "u1"},
		{"upper-case REL and value", http.Header{"Link": {`<https://x/u?after=u2>; REL="NEXT"`}}, "u2"},
		{"lower-case header name", http.Header{"link": {`<https://x/u?after=u3>; rel="next"`}}, "u3"},
		{"multiple rels", http.Header{"Link": {`<https://x/u?after=u4>; rel="self next"`}}, "u4"},
		{"other params first", http.Header{"Link": {`<https://x/u?after=u5>; type="application/json"; rel="next"`}}, "u5"},
		{"no spaces", http.Header{"Link": {`<https://x/u?after=u6>;rel="next"`}}, "u6"},
		{"extra whitespace", http.Header{"Link": {"  <https://x/u?after=u7> ;\trel = \"next\" "}}, "u7"},
		{"comma and semicolon inside quotes", http.Header{"Link": {
			`<https://x/u?after=bad>; title="a, b; rel=next"; rel="self", <https://x/u?after=good>; rel="next"`,
		}}, "good"},
		{"comma inside the URI", http.Header{"Link": {`<https://x/u?after=a,b&limit=2>; rel="next"`}}, "a,b"},
		{"escaped cursor", http.Header{"Link": {`<https://x/u?after=a%2Bb%3D&limit=2>; rel="next"`}}, "a+b="},
		{"nextish rel is not next", http.Header{"Link": {`<https://x/u?after=x>; rel="next-page"`}}, ""},
		{"first rel wins", http.Header{"Link": {`<https://x/u?after=x>; rel="self"; rel="next"`}}, ""},
		{"malformed value then good one", http.Header{"Link": {`garbage; rel="next", <https://x/u?after=ok>; rel="next"`}}, "ok"},
		{"unterminated", http.Header{"Link": {`<https://x/u?after=x; rel="next"`}}, ""},
		{"next without after", http.Header{"Link": {`<https://x/u?limit=2>; rel="next"`}}, ""},
		{"relative URL", http.Header{"Link": {`</api/v1/users?after=rel1>; rel="next"`}}, "rel1"},
		{"empty", http.Header{"Link": {""}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, nextCursor(tt.header))
		})
	}
}

func TestParseLinkHeaderNeverPanics(t *testing.T) {
	for _, v := range []string{"<", ">", ";", ",", `<a>;`, `<a>; rel`, `<a>; rel=`, `<a>; rel="`, `<a>; rel="\`, `"`, `<a>;;;,,,<b>`} {
		assert.NotPanics(t, func() { parseLinkHeader(v) }, v)
	}
}

// pagedServer answers list endpoints from items, limit per page, with Link
// headers that carry the next cursor as Okta does.
func pagedServer(t *testing.T, f *fixture, pattern string, total int, calls *int) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		*calls++
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 2
		}
		start := 0
		if a := r.URL.Query().Get("after"); a != "" {
			start, _ = strconv.Atoi(a)
		}
		end := min(start+limit, total)
		var page []map[string]any
		for i := start; i < end; i++ {
			page = append(page, map[string]any{"id": fmt.Sprintf("%d", i), "profile": map[string]any{"name": fmt.Sprint(i)}})
		}
		base := "http://" + r.Host + r.URL.Path
		w.Header().Add("Link", fmt.Sprintf(`<%s?limit=%d>; rel="self"`, base, limit))
		if end < total {
			w.Header().Add("Link", fmt.Sprintf(`<%s?after=%d&limit=%d>; rel="next"`, base, end, limit))
		}
		if page == nil {
			page = []map[string]any{}
		}
		writeJSON(w, 200, page)
	})
}

func TestIterators(t *testing.T) {
	ctx := context.Background()
	t.Run("users: all pages", func(t *testing.T) {
		f := setup(t)
		calls := 0
		pagedServer(t, f, "GET /api/v1/users", 5, &calls)
		var ids []string
		for u, err := range f.client.UsersIter(ctx, ListUsersParams{Limit: 2}, 10) {
			require.NoError(t, err)
			ids = append(ids, u.ID)
		}
		assert.Equal(t, []string{"0", "1", "2", "3", "4"}, ids)
		assert.Equal(t, 3, calls)
	})
	t.Run("groups: page cap yields a resumable PageLimitError", func(t *testing.T) {
		f := setup(t)
		calls := 0
		pagedServer(t, f, "GET /api/v1/groups", 9, &calls)
		var ids []string
		var last error
		for g, err := range f.client.GroupsIter(ctx, ListGroupsParams{Limit: 2}, 2) {
			if err != nil {
				last = err
				continue
			}
			ids = append(ids, g.ID)
		}
		assert.Equal(t, []string{"0", "1", "2", "3"}, ids)
		assert.Equal(t, 2, calls)
		require.ErrorIs(t, last, ErrPageLimit)
		var ple *PageLimitError
		require.ErrorAs(t, last, &ple)
		assert.Equal(t, "4", ple.NextCursor)
		// Resume from the cursor.
		ids = nil
		for g, err := range f.client.GroupsIter(ctx, ListGroupsParams{Limit: 2, After: ple.NextCursor}, 0) {
			require.NoError(t, err)
			ids = append(ids, g.ID)
		}
		assert.Equal(t, []string{"4", "5", "6", "7", "8"}, ids)
	})
	t.Run("members: lazy, stops fetching on break", func(t *testing.T) {
		f := setup(t)
		calls := 0
		pagedServer(t, f, "GET /api/v1/groups/00g1/users", 100, &calls)
		n := 0
		for _, err := range f.client.GroupMembersIter(ctx, "00g1", ListParams{Limit: 2}, 0) {
			require.NoError(t, err)
			n++
			if n == 3 {
				break
			}
		}
		assert.Equal(t, 2, calls)
	})
	t.Run("error is yielded once, last", func(t *testing.T) {
		f := setup(t)
		f.mux.HandleFunc("GET /api/v1/groups/00g1/users", func(w http.ResponseWriter, r *http.Request) {
			writeOktaError(w, 404, "E0000007", "Not found")
		})
		var errs []error
		for _, err := range f.client.GroupMembersIter(ctx, "00g1", ListParams{}, 0) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.True(t, IsNotFound(errs[0]))
	})
	t.Run("a cursor loop ends the iteration", func(t *testing.T) {
		f := setup(t)
		calls := 0
		f.mux.HandleFunc("GET /api/v1/users", func(w http.ResponseWriter, r *http.Request) {
			calls++
			w.Header().Set("Link", `<http://x/api/v1/users?after=same>; rel="next"`)
			writeJSON(w, 200, []map[string]any{{"id": "u"}})
		})
		n := 0
		for _, err := range f.client.UsersIter(ctx, ListUsersParams{}, 0) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 2, calls)
		assert.Equal(t, 2, n)
	})
}
