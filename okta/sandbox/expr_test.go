package sandbox

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseExpression(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`status eq "ACTIVE"`, `status eq "ACTIVE"`},
		{`status EQ "ACTIVE"`, `status eq "ACTIVE"`},
		{`  status   eq   "ACTIVE"  `, `status eq "ACTIVE"`},
		{`status eq"ACTIVE"`, `status eq "ACTIVE"`},
		{`(status eq "ACTIVE")`, `status eq "ACTIVE"`},
		{`((status eq "ACTIVE"))`, `status eq "ACTIVE"`},
		{`a eq "1" or b eq "2" and c eq "3"`, `(a eq "1" or (b eq "2" and c eq "3"))`},
		{`a eq "1" and b eq "2" or c eq "3"`, `((a eq "1" and b eq "2") or c eq "3")`},
		{`(a eq "1" or b eq "2") and c eq "3"`, `((a eq "1" or b eq "2") and c eq "3")`},
		{`a eq "1" AND b eq "2" Or c eq "3"`, `((a eq "1" and b eq "2") or c eq "3")`},
		{`a eq "1" or b eq "2" or c eq "3"`, `((a eq "1" or b eq "2") or c eq "3")`},
		{`profile.title eq "say \"hi\" \\o/"`, `profile.title eq "say \"hi\" \\o/"`},
		{`profile.age gt 30`, `profile.age gt 30`},
		{`profile.score le -1.5e3`, `profile.score le -1.5e3`},
		{`profile.vip eq TRUE`, `profile.vip eq true`},
		{`profile.vip eq false`, `profile.vip eq false`},
		{`profile.manager eq null`, `profile.manager eq null`},
		{`profile.title pr`, `profile.title pr`},
		{`profile.title PR and status eq "ACTIVE"`, `(profile.title pr and status eq "ACTIVE")`},
		{`lastUpdated gt "2026-01-02T03:04:05.000Z"`, `lastUpdated gt "2026-01-02T03:04:05.000Z"`},
		{`profile.x_y-z:w eq "é"`, `profile.x_y-z:w eq "é"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseExpression(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.String())
			again, err := ParseExpression(e.String())
			require.NoError(t, err)
			assert.Equal(t, e, again, "String round-trips")
		})
	}
}

func TestParseExpressionErrors(t *testing.T) {
	for _, in := range []string{
		``, `   `, `status`, `status eq`, `status eq ACTIVE`, `status eq "ACTIVE`, `(status eq "A"`,
		`status eq "A")`, `status eq "A" and`, `and status eq "A"`, `status zz "A"`, `a eq "x\n"`, `a eq "x\`,
		`a eq 1.`, `a eq 1e`, `a eq 5x`, `a eq --1`, `"a" eq "b"`, `a eq "b" c`, `a eq "b" c eq "d"`, `()`,
		`a eq "1" or`, `a.b. eq "1"`, `a..b eq "1"`, `a eq "1" not b eq "2"`, `a ~ "b"`, `a eq 'b'`,
		strings.Repeat("(", 40) + `a eq "1"` + strings.Repeat(")", 40),
		`a eq "` + strings.Repeat("x", maxExprLength) + `"`,
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseExpression(in)
			assert.Error(t, err)
			var se *SyntaxError
			assert.ErrorAs(t, err, &se)
		})
	}
}

func FuzzParseExpression(f *testing.F) {
	for _, s := range []string{
		`status eq "ACTIVE"`, `a eq "1" or b eq "2" and c eq "3"`, `(a eq "1" or b eq "2") and c pr`,
		`profile.title eq "say \"hi\" \\o/"`, `profile.age ge -1.5e3`, `x eq true`, `x eq null`, `x co "y"`,
		`lastUpdated gt "2026-01-02T03:04:05.000Z"`, `((a eq "1"))`, `a eq "`, `a eq "\q"`,
	} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	u := &user{id: "00u00000000000000001", status: statusActive, created: now, lastUpdated: now,
		profile: map[string]any{"login": "a@example.com", "title": "x", "tags": []any{"a", 1.5, true, nil}}}
	g := &group{id: "00g00000000000000001", typ: groupTypeOkta, created: now, lastUpdated: now, profile: map[string]any{"name": "g"}}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpression(s)
		for _, mode := range []queryMode{modeSearch, modeFilter} {
			if p, err := compileUserExpr(s, mode); err == nil {
				p(u)
			}
			if p, err := compileGroupExpr(s, mode); err == nil {
				p(g)
			}
		}
		if err != nil {
			return
		}
		s2 := e.String()
		e2, err := ParseExpression(s2)
		if err != nil {
			t.Fatalf("String() of %q = %q does not parse: %v", s, s2, err)
		}
		if s3 := e2.String(); s3 != s2 {
			t.Fatalf("round trip of %q: %q then %q", s, s2, s3)
		}
	})
}
