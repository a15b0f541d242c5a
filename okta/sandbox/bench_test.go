package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

var (
	bigOrgOnce sync.Once
	bigOrg     *Org
)

// big100k is a 100,000-user org shared by the benchmarks (read-only).
func big100k(b *testing.B) *Org {
	b.Helper()
	bigOrgOnce.Do(func() {
		o, err := New(Options{Seed: GenerateSeed(100_000, 50), RequestLogSize: -1, RateLimit: NoRateLimit})
		if err != nil {
			b.Fatal(err)
		}
		bigOrg = o
	})
	return bigOrg
}

func benchRequest(b *testing.B, method, url string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	return req
}

func BenchmarkGetUser(b *testing.B) {
	o, err := New(Options{RequestLogSize: -1, RateLimit: NoRateLimit})
	if err != nil {
		b.Fatal(err)
	}
	id := func() string { u, _ := o.LookupUser("ada.lovelace@example.com"); return u.ID }()
	b.Run("ServeHTTP", func(b *testing.B) {
		req := benchRequest(b, "GET", "/api/v1/users/"+id)
		for b.Loop() {
			w := httptest.NewRecorder()
			o.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("Transport", func(b *testing.B) {
		hc := &http.Client{Transport: o.Transport()}
		for b.Loop() {
			resp, err := hc.Do(benchRequest(b, "GET", DemoOrgURL+"/api/v1/users/"+id))
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("ByLogin", func(b *testing.B) {
		req := benchRequest(b, "GET", "/api/v1/users/ada.lovelace@example.com")
		for b.Loop() {
			w := httptest.NewRecorder()
			o.ServeHTTP(w, req)
		}
	})
}

// BenchmarkListUsersPage pages through a 100k-user org; each iteration is
// one page of 200 from a cursor deep in the list.
func BenchmarkListUsersPage(b *testing.B) {
	o := big100k(b)
	u, _ := o.LookupUser("user090000@example.com")
	for _, bc := range []struct{ name, path string }{
		{"first", "/api/v1/users"},
		{"deep-cursor", "/api/v1/users?after=" + u.ID},
		{"group-members", "/api/v1/groups/" + o.EveryoneGroupID() + "/users?limit=200&after=" + u.ID},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := benchRequest(b, "GET", bc.path)
			for b.Loop() {
				w := httptest.NewRecorder()
				o.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}

// BenchmarkWalkAllUsers follows rel="next" through all 100k users.
func BenchmarkWalkAllUsers(b *testing.B) {
	o := big100k(b)
	hc := &http.Client{Transport: o.Transport()}
	for b.Loop() {
		next, n := DemoOrgURL+"/api/v1/users?limit=200", 0
		for next != "" {
			resp, err := hc.Do(benchRequest(b, "GET", next))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			n++
			next = ""
			for _, l := range resp.Header.Values("Link") {
				if strings.HasSuffix(l, `rel="next"`) {
					next = l[1 : len(l)-len(`>; rel="next"`)]
				}
			}
		}
		if n != 500 {
			b.Fatalf("%d pages", n)
		}
	}
}

func BenchmarkSearchUsers100k(b *testing.B) {
	o := big100k(b)
	req := benchRequest(b, "GET", `/api/v1/users?search=profile.department+eq+%22sales%22+and+profile.login+sw+%22user09%22&limit=200`)
	for b.Loop() {
		w := httptest.NewRecorder()
		o.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkNew100k(b *testing.B) {
	seed := GenerateSeed(100_000, 50)
	for b.Loop() {
		if _, err := New(Options{Seed: seed}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSystemLog measures what the System Log adds to a write:
// a membership change (add, then remove) with and without its events.
func BenchmarkWriteSystemLog(b *testing.B) {
	for _, logged := range []bool{false, true} {
		name := "without-log"
		if logged {
			name = "with-log"
		}
		b.Run(name, func(b *testing.B) {
			org, err := New(Options{RequestLogSize: -1, RateLimit: NoRateLimit})
			if err != nil {
				b.Fatal(err)
			}
			org.day.off = !logged
			hc := &http.Client{Transport: org.Transport()}
			u, _ := org.LookupUser("ada.lovelace@example.com")
			g, _ := org.LookupGroup("Sales")
			path := DemoOrgURL + "/api/v1/groups/" + g.ID + "/users/" + u.ID
			do := func(method string) {
				req, _ := http.NewRequest(method, path, nil)
				req.Header.Set("Authorization", "SSWS "+DefaultToken)
				resp, err := hc.Do(req)
				if err != nil || resp.StatusCode != http.StatusNoContent {
					b.Fatalf("%s: %v %v", method, err, resp)
				}
				resp.Body.Close()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				do(http.MethodPut)
				do(http.MethodDelete)
			}
		})
	}
}
