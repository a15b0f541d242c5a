package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawCall sends a tools/call and returns the id used.
func (r *rawStdio) call(id int, tool, args, meta string) {
	r.t.Helper()
	params := fmt.Sprintf(`{"name":%q,"arguments":%s`, tool, args)
	if meta != "" {
		params += `,"_meta":` + meta
	}
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":%s}}`, id, params))
}

func (r *rawStdio) initializeWith(capabilities string) {
	r.t.Helper()
	r.send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":` + capabilities + `,"clientInfo":{"name":"raw","version":"1"}}}`)
	m := r.response(1)
	require.NotNil(r.t, m["result"])
	r.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

func resultOf(t *testing.T, m map[string]any) (text string, isError bool, resultType string) {
	t.Helper()
	res, ok := m["result"].(map[string]any)
	require.True(t, ok, "a result: %v", m)
	var b strings.Builder
	if content, ok := res["content"].([]any); ok {
		for _, c := range content {
			if s, ok := c.(map[string]any)["text"].(string); ok {
				b.WriteString(s)
			}
		}
	}
	isErr, _ := res["isError"].(bool)
	rt, _ := res["resultType"].(string)
	return b.String(), isErr, rt
}

const claimElicitation = `{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}`

// Issue 9 finding 5: a client that declared no elicitation at initialize
// cannot unlock a sensitive call by claiming it later in _meta.
func TestMetaClaimDoesNotUnlockConfirmation(t *testing.T) {
	t.Parallel()
	r := startRawStdio(t, "--sandbox")
	r.initializeWith(`{}`)
	r.call(2, "okta_deactivate_user", `{"userId":"ada.lovelace@example.com"}`, claimElicitation)
	text, isErr, rt := resultOf(t, r.response(2))
	assert.NotEqual(t, "input_required", rt)
	assert.True(t, isErr)
	assert.Contains(t, text, "cannot ask for one")
	r.call(3, "okta_get_user", `{"userId":"ada.lovelace@example.com"}`, "")
	text, _, _ = resultOf(t, r.response(3))
	assert.Contains(t, text, `"status":"ACTIVE"`)
}

// Issue 9 finding 6: a question asked within the call (elicitation/create)
// is answered only by a response with its own numeric id; string ids and
// other ids change nothing, and the call ends after --confirm-timeout.
func TestConfirmationAnswerMustMatchAndIsBounded(t *testing.T) {
	t.Parallel()
	r := startRawStdio(t, "--sandbox", "--confirm-timeout", "1500ms")
	r.initializeWith(`{"elicitation":{}}`)
	start := time.Now()
	r.call(2, "okta_deactivate_user", `{"userId":"ada.lovelace@example.com"}`, "")
	var askID float64
	for {
		m, ok := r.next(10 * time.Second)
		require.True(t, ok)
		if m["method"] == "elicitation/create" {
			askID = m["id"].(float64)
			break
		}
	}
	accept := `"result":{"action":"accept","content":{"confirm":true}}`
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":"%d",%s}`, int(askID), accept))    // the id as a string
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,%s}`, int(askID)+1000, accept)) // another id
	text, isErr, _ := resultOf(t, r.response(2))
	assert.True(t, isErr, text)
	assert.Contains(t, text, "did not answer")
	assert.Contains(t, text, "Nothing was changed")
	assert.Less(t, time.Since(start), 10*time.Second, "bounded by --confirm-timeout")
	// A late answer with the right id changes nothing either.
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,%s}`, int(askID), accept))
	r.call(3, "okta_get_user", `{"userId":"ada.lovelace@example.com"}`, "")
	text, _, _ = resultOf(t, r.response(3))
	assert.Contains(t, text, `"status":"ACTIVE"`)

	// The right answer, in time, is obeyed.
	r.call(4, "okta_deactivate_user", `{"userId":"ada.lovelace@example.com"}`, "")
	for {
		m, ok := r.next(10 * time.Second)
		require.True(t, ok)
		if m["method"] == "elicitation/create" {
			askID = m["id"].(float64)
			break
		}
	}
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,%s}`, int(askID), accept))
	text, isErr, _ = resultOf(t, r.response(4))
	assert.False(t, isErr, text)
	assert.Contains(t, text, `"deactivated":true`)
}

// --allow-unconfirmed is stated at start-up, and every call it lets run
// unasked says so in its audit line.
func TestAllowUnconfirmedIsLoggedAndAudited(t *testing.T) {
	t.Parallel()
	r := startRawStdio(t, "--sandbox", "--allow-unconfirmed")
	r.initializeWith(`{}`)
	r.call(2, "okta_deactivate_user", `{"userId":"ada.lovelace@example.com"}`, "")
	text, isErr, _ := resultOf(t, r.response(2))
	require.False(t, isErr, text)
	logs := r.stderr.String()
	assert.Contains(t, logs, "--allow-unconfirmed")
	assert.Contains(t, logs, "confirmation=\"allow-unconfirmed")
	assert.Contains(t, logs, "confirmed_by=operator_flag")
}
