package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// modernCall sends a tools/call of protocol 2026-07-28 by hand, as a
// hostile client would: with whatever requestState and answer it likes.
func (e *env) modernCall(tool string, args map[string]any, state string, ans *mcp.ElicitationResult) map[string]any {
	e.t.Helper()
	params := map[string]any{"name": tool, "arguments": args}
	if state != "" {
		params["requestState"] = state
	}
	if ans != nil {
		params["inputResponses"] = map[string]any{confirmKey: mcp.NewElicitationInputResponse(*ans)}
	}
	return e.handle(context.Background(), "tools/call", params)
}

var accept = &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}

func resultText(res map[string]any) string {
	b, _ := json.Marshal(res["content"])
	return string(b)
}

// orgAdmin changes the org behind the server's back, as another admin (or
// the attacker's earlier calls) would.
func (e *env) orgAdmin() *okta.Client {
	e.t.Helper()
	cl, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken), HTTPClient: &http.Client{Transport: e.org.Transport()}, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(e.t, err)
	return cl
}

// Finding 4: the state was a keyless hash of the arguments; a client could
// compute it and send an accept with the first call.
func TestConfirmationStateCannotBeForged(t *testing.T) {
	e := newEnv(t)
	args := map[string]any{"userId": adaLogin}
	b, _ := json.Marshal(args)
	sum := sha256.Sum256(append([]byte("okta_deactivate_user\x00"), b...))
	forged := []string{
		"okta-mcp-confirm-v1:" + hex.EncodeToString(sum[:16]), // what main accepted
		"okta-mcp-confirm-v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA",
		"okta-mcp-confirm-v2.." + strings.Repeat("A", 43),
		"",
	}
	for _, state := range forged {
		res := e.modernCall("okta_deactivate_user", args, state, accept)
		assert.Equal(t, "input_required", res["resultType"], "state %q: an answer to a question never asked is not obeyed; the human is asked", state)
	}
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
}

// Finding 4: one acceptance, replayed, performed the second (permanent)
// step of a delete.
func TestConfirmationIsSingleUseAndPerStep(t *testing.T) {
	e := newEnv(t)
	args := map[string]any{"userId": adaID}
	first := e.modernCall("okta_delete_user", args, "", nil)
	require.Equal(t, "input_required", first["resultType"])
	state := first["requestState"].(string)
	msg := first["inputRequests"].(map[string]any)[confirmKey].(map[string]any)["params"].(map[string]any)["message"].(string)
	assert.Contains(t, msg, "Allow the deactivation?")

	res := e.modernCall("okta_delete_user", args, state, accept)
	require.NotEqual(t, "input_required", res["resultType"], resultText(res))
	require.Equal(t, "DEPROVISIONED", e.user(adaID).Status)

	// The same acceptance again: the user must not be deleted for good.
	res = e.modernCall("okta_delete_user", args, state, accept)
	assert.Equal(t, true, res["isError"], resultText(res))
	assert.Contains(t, resultText(res), "already used or has expired")
	assert.Equal(t, "DEPROVISIONED", e.user(adaID).Status, "the replay did not delete the user")

	// The second step is its own question, saying it is permanent.
	second := e.modernCall("okta_delete_user", args, "", nil)
	msg = second["inputRequests"].(map[string]any)[confirmKey].(map[string]any)["params"].(map[string]any)["message"].(string)
	assert.Contains(t, msg, "PERMANENTLY")
	assert.Contains(t, msg, "cannot be undone")
	// The first step's answer is not the answer to the second.
	res = e.modernCall("okta_delete_user", args, state, accept)
	assert.Equal(t, true, res["isError"])
	_, still := e.org.LookupUser(adaID)
	assert.True(t, still)
	res = e.modernCall("okta_delete_user", args, second["requestState"].(string), accept)
	require.NotEqual(t, true, res["isError"], resultText(res))
	_, still = e.org.LookupUser(adaID)
	assert.False(t, still, "the second question's answer deletes")
}

// Finding 4/6: the answer to a question about one call is not the answer to
// another: other arguments, other tool.
func TestConfirmationIsBoundToItsCall(t *testing.T) {
	e := newEnv(t)
	first := e.modernCall("okta_deactivate_user", map[string]any{"userId": adaLogin}, "", nil)
	state := first["requestState"].(string)
	res := e.modernCall("okta_deactivate_user", map[string]any{"userId": "alan.turing@example.com"}, state, accept)
	assert.Equal(t, true, res["isError"], resultText(res))
	assert.Equal(t, "ACTIVE", e.user("alan.turing@example.com").Status)
	// Same question, other arguments: not the same call.
	first = e.modernCall("okta_deactivate_user", map[string]any{"userId": adaLogin, "sendEmail": false}, "", nil)
	res = e.modernCall("okta_deactivate_user", map[string]any{"userId": adaLogin, "sendEmail": true}, first["requestState"].(string), accept)
	assert.Equal(t, true, res["isError"], resultText(res))
	assert.Contains(t, resultText(res), "another question")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
	first = e.modernCall("okta_reset_password", map[string]any{"userId": adaLogin, "sendEmail": true}, "", nil)
	res = e.modernCall("okta_reset_password", map[string]any{"userId": adaLogin, "sendEmail": false}, first["requestState"].(string), accept)
	assert.Equal(t, true, res["isError"], "accepting a reset by email does not hand the link to the agent: %s", resultText(res))
	assert.NotContains(t, resultText(res), "resetPasswordUrl")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
}

// Finding 6: a question expires; a late accept changes nothing.
func TestConfirmationExpires(t *testing.T) {
	e := newEnv(t, withOptions(func(o *Options) { o.ConfirmTimeout = 50 * time.Millisecond }))
	first := e.modernCall("okta_deactivate_user", map[string]any{"userId": adaLogin}, "", nil)
	time.Sleep(120 * time.Millisecond)
	res := e.modernCall("okta_deactivate_user", map[string]any{"userId": adaLogin}, first["requestState"].(string), accept)
	assert.Equal(t, true, res["isError"], resultText(res))
	assert.Contains(t, resultText(res), "expired")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)

	// Asked within the call (older protocols): a human who does not answer
	// in time does not hold the call forever.
	slow := &slowHuman{delay: time.Second}
	e = newEnv(t, legacyProtocol(), withOptions(func(o *Options) { o.ConfirmTimeout = 50 * time.Millisecond }), withClientOptions(client.WithElicitationHandler(slow)))
	start := time.Now()
	msg := e.fails("okta_deactivate_user", map[string]any{"userId": adaLogin})
	assert.Less(t, time.Since(start), 900*time.Millisecond, "the wait is bounded by the confirmation timeout")
	assert.Contains(t, msg, "did not answer")
	assert.Contains(t, msg, "Nothing was changed")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
}

type slowHuman struct{ delay time.Duration }

func (s *slowHuman) Elicit(ctx context.Context, _ mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
	}
	return accept, nil
}

// Finding 1: the question named user A; by the time of the answer the login
// it was asked with belongs to user B. B must not be touched.
func TestConfirmationFollowsTheResolvedUser(t *testing.T) {
	const decoy = "qa-decoy@example.com"
	setup := func(t *testing.T, e *env) (a, b string) {
		admin := e.orgAdmin()
		a = e.user(adaLogin).ID
		b = e.user("alan.turing@example.com").ID
		_, _, err := admin.UpdateUser(context.Background(), a, okta.UserProfile{"login": decoy})
		require.NoError(t, err)
		return a, b
	}
	swap := func(t *testing.T, e *env, a, b string) {
		admin := e.orgAdmin()
		_, _, err := admin.UpdateUser(context.Background(), a, okta.UserProfile{"login": "ada.moved@example.com"})
		require.NoError(t, err)
		_, _, err = admin.UpdateUser(context.Background(), b, okta.UserProfile{"login": decoy})
		require.NoError(t, err)
	}
	for _, tool := range []string{"okta_reset_password", "okta_deactivate_user"} {
		t.Run(tool+"/modern", func(t *testing.T) {
			e := newEnv(t)
			a, b := setup(t, e)
			args := map[string]any{"userId": decoy, "sendEmail": false}
			first := e.modernCall(tool, args, "", nil)
			require.Equal(t, "input_required", first["resultType"])
			swap(t, e, a, b)
			res := e.modernCall(tool, args, first["requestState"].(string), accept)
			assert.Equal(t, true, res["isError"], resultText(res))
			assert.Contains(t, resultText(res), "target changed")
			assert.NotContains(t, resultText(res), "resetPasswordUrl")
			assert.Equal(t, "ACTIVE", e.user(b).Status, "B was not touched")
			assert.Equal(t, "ACTIVE", e.user(a).Status)
		})
		t.Run(tool+"/within the call", func(t *testing.T) {
			var e *env
			var a, b string
			h := &swappingHuman{swap: func() { swap(t, e, a, b) }}
			e = newEnv(t, legacyProtocol(), withClientOptions(client.WithElicitationHandler(h)))
			a, b = setup(t, e)
			msg := e.fails(tool, map[string]any{"userId": decoy, "sendEmail": false})
			assert.Contains(t, msg, "target changed")
			assert.Equal(t, "ACTIVE", e.user(b).Status, "B was not touched")
			assert.Equal(t, "ACTIVE", e.user(a).Status, "A changed login meanwhile: the answer no longer applies")
			audit := e.audit.lines(t)
			require.NotEmpty(t, audit)
			assert.Equal(t, "target_changed", audit[len(audit)-1]["result"])
			assert.Empty(t, audit[len(audit)-1]["confirmed_by"], "nothing was done on the strength of the answer")
		})
	}
}

type swappingHuman struct{ swap func() }

func (s *swappingHuman) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	s.swap()
	return accept, nil
}

// Finding 2: a change of email (where reset and activation mail goes) is
// confirmed, and the questions that send mail say where it goes.
func TestCredentialRedirectIsConfirmed(t *testing.T) {
	e := newEnv(t, failClosed())
	writes := e.writes()
	for _, change := range []map[string]any{{"email": "attacker@evil.example"}, {"login": "attacker@evil.example"}, {"mobilePhone": "+1-555-0666"}} {
		args := map[string]any{"userId": adaLogin}
		for k, v := range change {
			args[k] = v
		}
		msg := e.fails("okta_update_user", args)
		assert.Contains(t, msg, "cannot ask for one", "a client without elicitation cannot redirect credentials")
	}
	assert.Equal(t, writes, e.writes())
	assert.Equal(t, adaLogin, e.user(adaLogin).Profile["email"])
	e.ok("okta_update_user", map[string]any{"userId": adaLogin, "title": "Countess"})

	h := &human{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
	e = newEnv(t, withClientOptions(client.WithElicitationHandler(h)))
	e.ok("okta_reset_password", map[string]any{"userId": adaLogin})
	assert.Contains(t, h.questions()[0], `"ada.lovelace@example.com"`, "the reset question shows where the link goes")
	// A deactivated user, re-activated with the default (email): confirmed.
	e = newEnv(t, failClosed())
	msg := e.fails("okta_activate_user", map[string]any{"userId": deprovLogin})
	assert.Contains(t, msg, "cannot ask for one")
	assert.Equal(t, "DEPROVISIONED", e.user(deprovLogin).Status)
	e.ok("okta_activate_user", map[string]any{"userId": stagedLogin})
}

// Finding 3: what a profile holds cannot write the question.
func TestQuestionValuesAreEscaped(t *testing.T) {
	h := &human{action: mcp.ElicitationResponseActionDecline}
	e := newEnv(t, withClientOptions(client.WithElicitationHandler(h)))
	admin := e.orgAdmin()
	_, _, err := admin.UpdateUser(context.Background(), adaID, okta.UserProfile{"lastName": "(safe to delete)\n\nIT: routine cleanup", "firstName": "\u202Eevil\u2066x\u2069 \u200b"})
	require.NoError(t, err)
	e.fails("okta_delete_user", map[string]any{"userId": adaID})
	q := h.questions()
	require.Len(t, q, 1)
	for _, bad := range []string{"\n", "\r", "\u202E", "\u2066", "\u2069", "\u200b"} {
		assert.NotContains(t, q[0], bad)
	}
	assert.Contains(t, q[0], `\n\nIT: routine cleanup`, "shown, escaped, inside quotes")
	assert.Contains(t, q[0], `\u202e`)
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"Ada":                   `"Ada"`,
		"a\"b\\c":               `"a\"b\\c"`,
		"line\nIT: ok":          `"line\nIT: ok"`,
		"\u202Egnp.exe":         `"\u202egnp.exe"`,
		"Zoë":                   `"Zoë"`,
		"\xff":                  "\"\uFFFD\"",
		strings.Repeat("x", 70): `"` + strings.Repeat("x", 64) + `"…`,
	} {
		assert.Equal(t, want, q(in), "%q", in)
	}
}

// Fail closed: a client that cannot ask its human gets sensitive calls
// refused unless the operator opted out, and the audit says who decided.
func TestFailClosedByDefault(t *testing.T) {
	sensitive := func(e *env) []struct {
		tool string
		args map[string]any
	} {
		return []struct {
			tool string
			args map[string]any
		}{
			{"okta_delete_user", map[string]any{"userId": adaLogin}},
			{"okta_deactivate_user", map[string]any{"userId": adaLogin}},
			{"okta_reset_password", map[string]any{"userId": adaLogin}},
			{"okta_delete_group", map[string]any{"groupId": e.groupID("Sales")}},
			{"okta_activate_user", map[string]any{"userId": stagedLogin, "sendEmail": false}},
			{"okta_update_user", map[string]any{"userId": adaLogin, "email": "x@evil.example"}},
		}
	}
	for _, proto := range []struct {
		name string
		opt  envOption
	}{{"modern", func(*envConfig) {}}, {"legacy", legacyProtocol()}} {
		t.Run(proto.name+"/refused by default", func(t *testing.T) {
			e := newEnv(t, proto.opt, failClosed())
			writes := e.writes()
			for _, call := range sensitive(e) {
				msg := e.fails(call.tool, call.args)
				assert.Contains(t, msg, "cannot ask for one")
				assert.Contains(t, msg, "--allow-unconfirmed")
				assert.Contains(t, msg, "Nothing was changed")
			}
			assert.Equal(t, writes, e.writes())
			for _, l := range e.audit.lines(t) {
				assert.Equal(t, "confirmation_unavailable", l["result"])
			}
			e.ok("okta_suspend_user", map[string]any{"userId": adaLogin})
		})
		t.Run(proto.name+"/--allow-unconfirmed", func(t *testing.T) {
			e := newEnv(t, proto.opt, failClosed(), withOptions(func(o *Options) { o.AllowUnconfirmed = true }))
			e.ok("okta_deactivate_user", map[string]any{"userId": adaLogin})
			assert.Equal(t, "DEPROVISIONED", e.user(adaLogin).Status)
			e.ok("okta_suspend_user", map[string]any{"userId": "alan.turing@example.com"})
			lines := e.audit.lines(t)
			require.Len(t, lines, 2)
			assert.Equal(t, "operator_flag", lines[0]["confirmed_by"], "an unconfirmed sensitive write names the operator's flag")
			assert.Equal(t, "", lines[1]["confirmed_by"], "a write that needs no confirmation")
		})
	}
	t.Run("the old opt-in changes nothing", func(t *testing.T) {
		e := newEnv(t, failClosed(), withOptions(func(o *Options) { o.RequireConfirmation = true }))
		e.fails("okta_deactivate_user", map[string]any{"userId": adaLogin})
		assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
	})
}

// fakeSession is a session of a transport that cannot carry elicitation
// (as legacy SSE in mcp-go), or can when elicit is set.
type fakeSession struct {
	id   string
	caps mcp.ClientCapabilities
}

func (f *fakeSession) Initialize()                                         {}
func (f *fakeSession) Initialized() bool                                   { return true }
func (f *fakeSession) NotificationChannel() chan<- mcp.JSONRPCNotification { return nil }
func (f *fakeSession) SessionID() string                                   { return f.id }
func (f *fakeSession) GetClientInfo() mcp.Implementation                   { return mcp.Implementation{} }
func (f *fakeSession) SetClientInfo(mcp.Implementation)                    {}
func (f *fakeSession) GetClientCapabilities() mcp.ClientCapabilities       { return f.caps }
func (f *fakeSession) SetClientCapabilities(c mcp.ClientCapabilities)      { f.caps = c }

type fakeElicitingSession struct{ fakeSession }

func (f *fakeElicitingSession) RequestElicitation(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return accept, nil
}

// Finding 5: whatever a request claims in _meta, a session that cannot
// carry elicitation, or whose client declared none at initialize, cannot ask.
func TestElicitationModeIgnoresLaterClaims(t *testing.T) {
	srv := e2eServer(t)
	claim := &server.RequestProtocolInfo{Modern: true, ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION,
		ClientCapabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapability{}}}
	withClaim := func(s server.ClientSession) context.Context {
		ctx := context.Background()
		if s != nil {
			ctx = srv.WithContext(ctx, s)
		}
		return server.WithRequestProtocolInfo(ctx, claim)
	}
	h := newHandshakes()
	sse := &fakeSession{id: "sse-1", caps: mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapability{}}}
	assert.Equal(t, cannotAsk, h.elicitationMode(withClaim(sse)), "a transport without elicitation never asks")

	stdio := &fakeElicitingSession{fakeSession{id: "stdio"}}
	h.initialized(srv.WithContext(context.Background(), stdio), &mcp.InitializeRequest{})
	stdio.SetClientCapabilities(*claim.ClientCapabilities) // what mcp-go does with a modern request's _meta
	assert.Equal(t, cannotAsk, h.elicitationMode(withClaim(stdio)), "declared nothing at initialize")

	other := &fakeElicitingSession{fakeSession{id: "other"}}
	init := &mcp.InitializeRequest{}
	init.Params.Capabilities.Elicitation = &mcp.ElicitationCapability{}
	h.initialized(srv.WithContext(context.Background(), other), init)
	assert.Equal(t, askWithin, h.elicitationMode(srv.WithContext(context.Background(), other)))

	assert.Equal(t, askByResult, h.elicitationMode(withClaim(nil)), "sessionless 2026-07-28 requests declare in _meta")
	assert.Equal(t, askByResult, h.elicitationMode(withClaim(&fakeElicitingSession{fakeSession{id: "modern"}})))
}

func e2eServer(t *testing.T) *server.MCPServer {
	t.Helper()
	return newEnv(t).srv
}

// A flood of questions neither grows the pending store without bound nor
// stops the server from asking.
func TestPendingConfirmationsAreBounded(t *testing.T) {
	cf := newConfirmer(time.Minute)
	target := confirmTarget{ids: []string{"00u1"}, state: map[string]string{"status": "ACTIVE"}}
	var first, last string
	for i := 0; i <= maxPendingConfirmations+10; i++ {
		scope := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		st, err := cf.issue(fmt.Sprintf("session-%d", i), scope, target)
		require.NoError(t, err)
		if i == 0 {
			first = st
		}
		last = st
	}
	assert.LessOrEqual(t, len(cf.pending), maxPendingConfirmations)
	n := maxPendingConfirmations + 10
	assert.Equal(t, stateValid, cf.redeem(last, sha256.Sum256([]byte{byte(n), byte(n >> 8)}), target))
	assert.NotEqual(t, stateValid, cf.redeem(first, sha256.Sum256([]byte{0, 0}), target), "the oldest question was dropped")
}

// One session's flood of questions drops its own oldest questions, not the
// one another person is reading.
func TestPendingConfirmationsAreBoundedPerOwner(t *testing.T) {
	clock := time.Now()
	cf := newConfirmer(time.Minute)
	cf.now = func() time.Time { return clock }
	target := confirmTarget{ids: []string{"00u1"}, state: map[string]string{"status": "ACTIVE"}}
	victimScope := sha256.Sum256([]byte("victim"))
	victim, err := cf.issue("session-victim", victimScope, target)
	require.NoError(t, err)
	var first, last string
	var lastScope [32]byte
	for i := 0; i < maxPendingConfirmations+maxPendingPerOwner; i++ {
		clock = clock.Add(time.Millisecond) // later questions expire later
		lastScope = sha256.Sum256([]byte{'f', byte(i), byte(i >> 8)})
		st, err := cf.issue("session-flood", lastScope, target)
		require.NoError(t, err)
		if i == 0 {
			first = st
		}
		last = st
	}
	assert.Len(t, cf.pending, maxPendingPerOwner+1, "the flooding session keeps at most its own share")
	assert.Equal(t, stateValid, cf.redeem(victim, victimScope, target), "the other session's question survives the flood")
	assert.Equal(t, stateValid, cf.redeem(last, lastScope, target), "the flooder can still be asked")
	assert.NotEqual(t, stateValid, cf.redeem(first, sha256.Sum256([]byte{'f', 0, 0}), target), "its oldest question was dropped")
}
