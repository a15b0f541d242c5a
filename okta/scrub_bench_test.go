package okta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkScrubSecrets measures the scrub of a 200-user page (the largest
// list answer) for the secrets of a call, against the baseline of decoding
// the same page, which every call does anyway.
func BenchmarkScrubSecrets(b *testing.B) {
	var users []string
	for i := range 200 {
		users = append(users, fmt.Sprintf(`{"id":"00u%017d","status":"ACTIVE","profile":{"login":"user.%d@example.com","email":"user.%d@example.com","firstName":"User","lastName":"Number %d","department":"Engineering","title":"Engineer"}}`, i, i, i, i))
	}
	body := []byte("[" + strings.Join(users, ",") + "]")
	req, _ := http.NewRequest(http.MethodGet, "https://dev-1.okta.com/api/v1/users", nil)
	req.Header.Set("Authorization", "SSWS "+testToken)
	b.Run("scrub", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			scrubSecrets(body, requestSecrets(req, nil))
		}
	})
	b.Run("baseline: decode the page", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var out []User
			if err := json.Unmarshal(body, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
