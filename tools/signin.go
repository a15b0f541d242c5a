package tools

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// SignInStarter starts an interactive sign-in of the admin a server acts
// for (okta/signin.Interactive): it returns the URL the human opens and a
// function that waits until the sign-in is complete (tokens stored) or has
// failed.
type SignInStarter interface {
	StartSignIn(ctx context.Context) (authURL string, wait func(context.Context) error, err error)
}

// signInWait bounds how long a tool call waits for the human to sign in.
const signInWait = 5 * time.Minute

// offerSignIn is tried when a call failed because nobody is signed in
// (okta.ErrSignInRequired) and the server can start a sign-in: if the
// client declared URL-mode elicitation on a 2025-11-25 session, it asks the
// client to have its human open the sign-in page, then waits for the sign-in.
// It returns a sentence for the agent ("" when no sign-in could be offered)
// and whether the human is now signed in.
func (c *call) offerSignIn(ctx context.Context) (string, bool) {
	st := c.d.opts.SignIn
	if st == nil || !clientCanOpenURL(ctx) {
		return "", false
	}
	srv := server.ServerFromContext(ctx)
	session := server.ClientSessionFromContext(ctx)
	if srv == nil || session == nil {
		return "", false
	}
	u, wait, err := st.StartSignIn(ctx)
	if err != nil {
		c.d.logger.WarnContext(ctx, "could not start a sign-in for the client", slog.String("error", err.Error()))
		return "", false
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	eid := "okta-mcp-signin-" + hex.EncodeToString(id[:])
	org := "the Okta org"
	if c.d.opts.ServerClient != nil {
		org = c.d.opts.ServerClient.OrgURL().Host
	}
	res, err := srv.RequestURLElicitation(ctx, session, eid, u,
		fmt.Sprintf("okta-mcp acts as you in %s and needs you to sign in with your Okta account. Open the page to sign in (okta-mcp login does the same in a terminal).", org))
	if err != nil {
		c.d.logger.WarnContext(ctx, "URL elicitation for the sign-in failed", slog.String("error", err.Error()))
		return "", false
	}
	if res.Action != mcp.ElicitationResponseActionAccept {
		return "The human was offered the sign-in page and did not open it: do not ask again unless they want to sign in.", false
	}
	wctx, cancel := context.WithTimeout(ctx, signInWait)
	defer cancel()
	if err := wait(wctx); err != nil {
		return fmt.Sprintf("The sign-in offered to the human did not complete (%v).", err), false
	}
	_ = srv.SendElicitationComplete(ctx, session, eid)
	return "The human has now signed in through the page the client opened: call the tool again.", true
}

// clientCanOpenURL: a 2025-11-25 session whose client declared URL-mode
// elicitation (elicitation.url). From protocol 2026-07-28 the server cannot
// send requests of its own, so no sign-in is offered there.
func clientCanOpenURL(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return false
	}
	session := server.ClientSessionFromContext(ctx)
	if _, ok := session.(server.SessionWithElicitation); !ok {
		return false
	}
	ci, ok := session.(server.SessionWithClientInfo)
	if !ok {
		return false
	}
	e := ci.GetClientCapabilities().Elicitation
	return e != nil && e.URL != nil
}
