package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMalformedCursorRejected: a cursor that is not one the org issued is
// E0000029, as in Okta, not an empty last page.
func TestMalformedCursorRejected(t *testing.T) {
	h := newHarness(t, Options{})
	for _, path := range []string{
		"/api/v1/users?after=bogus",
		"/api/v1/users?after=zzzzzzzzzzzzzzzzzzzz",
		"/api/v1/groups?after=page-2",
		"/api/v1/users?search=status+eq+%22ACTIVE%22&after=bogus",
	} {
		r := h.do("GET", path, "")
		assert.Equal(t, 400, r.status, path)
		assert.Equal(t, "E0000029", r.errorCode(t), path)
	}
	r := h.do("GET", "/api/v1/users?after=00u0000000000000000z", "")
	assert.Equal(t, 200, r.status, "an id-shaped cursor pages on from there")
}
