// Package sandbox is an in-memory Okta org that speaks Okta's Management
// API for users and groups, so that code written against Okta can be run and
// tested without one.
//
// An *Org is an http.Handler: mount it on an httptest.Server, serve it with
// `okta-mcp sandbox`, or call it in process through Org.Transport, which
// needs no network:
//
//	org, _ := sandbox.New(sandbox.Options{}) // the demo org, DefaultToken
//	hc := &http.Client{Transport: org.Transport()}
//	req, _ := http.NewRequest("GET", sandbox.DemoOrgURL+"/api/v1/users", nil)
//	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
//	resp, _ := hc.Do(req)
//
// The package is an independent re-implementation of the API (it does not
// use the okta client package), so tests of the client against it prove
// something. It follows Okta's documented behaviour: status codes, error
// bodies {errorCode, errorSummary, errorLink, errorId, errorCauses},
// X-Okta-Request-Id and X-Rate-Limit-* headers on every response, 20-character
// ids, millisecond timestamps, _links, the user lifecycle, login uniqueness
// (ignoring case and diacritics), the search/filter expression language,
// q prefix search, cursor pagination with Link headers, and rate limits.
//
// # Endpoints
//
//	GET, POST           /api/v1/users
//	GET, POST, PUT, DELETE /api/v1/users/{id}        (id, login or unambiguous login shortname)
//	POST                /api/v1/users/{id}/lifecycle/{activate,reactivate,deactivate,suspend,
//	                    unsuspend,unlock,reset_password,expire_password}
//	GET                 /api/v1/users/{id}/groups
//	GET, POST           /api/v1/groups
//	GET, PUT, DELETE    /api/v1/groups/{groupId}
//	GET                 /api/v1/groups/{groupId}/users
//	PUT, DELETE         /api/v1/groups/{groupId}/users/{userId}
//
// # Authorization servers
//
// The org authorization server (issuer = the org URL) and the custom
// authorization server "default" (issuer <org>/oauth2/default):
//
//	GET                 /.well-known/openid-configuration, /.well-known/oauth-authorization-server
//	GET                 /oauth2/default/.well-known/{oauth-authorization-server,openid-configuration}
//	                    (also /.well-known/oauth-authorization-server/oauth2/default)
//	GET, POST           /oauth2/v1/authorize            (authorization code, PKCE S256 only; sign-in page)
//	POST                /oauth2/v1/token                (authorization_code, device_code, refresh_token,
//	                                                     client_credentials with private_key_jwt)
//	POST                /oauth2/v1/device/authorize     (RFC 8628)
//	GET                 /oauth2/v1/keys                 (the RS256 signing key, generated on first use)
//	POST                /oauth2/v1/revoke               (RFC 7009)
//	GET, POST           /activate                       (device activation page)
//	                    and the same under /oauth2/default/v1/...
//
// Users sign in through the public client PublicClientID (no secret;
// any http loopback redirect URI; PKCE required) on the sign-in page with
// their password (DemoPassword for the demo org), or without the page for
// Options.AutoApprove. The org server mints the Okta API scopes (OrgScopes),
// "default" the custom scopes okta-mcp.read and okta-mcp.manage with aud
// api://default or the RFC 8707 resource. offline_access adds a refresh
// token (persistent, as for Okta's native apps), openid an ID token. Access
// tokens are JWTs like Okta's (ver, jti, iss, aud, sub = login, iat, exp,
// cid, uid, scp), valid one hour.
//
// Requests to the API authenticate with "Authorization: SSWS <token>"
// (Options.Token) or "Authorization: Bearer <access token>" from the org
// authorization server: a signed-in user's or a service app's
// (Options.OAuthClients). Bearer tokens carry scopes: okta.users.read /
// okta.groups.read for GETs, okta.users.manage / okta.groups.manage (which
// include read) for changes; a token without the scope gets 403 E0000006
// with Okta's WWW-Authenticate: Bearer authorization_uri, realm, scope (the
// one needed), error="insufficient_scope", error_description, resource
// (the path). Expired, revoked, foreign (another issuer, e.g. "default")
// tokens and tokens of a user no longer active get 401 E0000011. A
// signed-in user acts with every right the scopes give: the sandbox has no
// admin roles. The token endpoint answers OAuth errors ({error,
// error_description}): invalid_client (401) for a bad, expired, reused
// (jti) or over-long (> 1 h) assertion or an unknown client, invalid_scope
// for scopes not granted, invalid_grant for a bad, used or expired code,
// device code or refresh token or a failed PKCE check, invalid_target for
// a bad resource, authorization_pending / slow_down / expired_token /
// access_denied for the device grant, unsupported_grant_type, and
// invalid_dpop_proof for apps with RequireDPoP (DPoP itself is not
// implemented). /authorize shows an error page (400) for an unknown client
// or a redirect URI that is not loopback, and otherwise redirects errors
// to the client with its state; state is required, as on Okta.
//
// # For tests
//
// Options.Now drives every timestamp and rate-limit window (a fake clock
// makes rate-limit tests instant); Options.RateLimit or SetRateLimit sets
// the per-minute limit of each bucket (method + path template). Faults
// (Options.Faults, SetFaults, AddFault) inject latency, 5xx answers, 429
// storms, slow responses and dropped connections, before or after the
// request is processed, for matching methods and paths, a number of times
// or with a seeded probability. LookupUser, LookupGroup, UserCount,
// GroupCount, Requests and RequestCount inspect the org without going
// through the API. GenerateSeed builds large orgs for load tests.
//
// # Choices where Okta's documentation is silent
//
//   - Unknown paths answer 404 E0000008; a known path with another method
//     405 E0000022.
//   - Missing or malformed Authorization: 403 E0000005; a wrong SSWS or
//     Bearer token: 401 E0000011. Routing comes before authentication.
//   - activate on an ACTIVE user: 403 E0000016; from any status other than
//     STAGED or DEPROVISIONED: 403 E0000038. Without a password the user
//     becomes PROVISIONED, with one ACTIVE.
//   - deactivate on a DEPROVISIONED user: 403 E0000038 (it is not a legal
//     transition and _links never offer it).
//   - suspend of a non-ACTIVE user and unsuspend of a non-SUSPENDED user:
//     400 E0000001 with a cause naming the status.
//   - reset_password is legal from ACTIVE, RECOVERY, PASSWORD_EXPIRED and
//     LOCKED_OUT (else 403 E0000038); without sendEmail: 400 E0000028.
//     expire_password is legal from the same statuses. reactivate from
//     PROVISIONED and RECOVERY. unlock only from LOCKED_OUT (else 403
//     E0000032).
//   - Lifecycle operations without a documented body answer 200 with {}.
//   - Profile updates (POST or PUT) of a DEPROVISIONED user are ignored, as
//     Okta ignores them by default; the user is returned unchanged.
//   - Passwords follow Okta's default policy: 8+ characters with a lower-
//     and an upper-case letter and a digit, and no part of the username.
//   - Groups: BUILT_IN (Everyone) cannot be changed, deleted or have its
//     members changed; APP_GROUPs can be deleted but not changed and their
//     members not changed. All of these answer 403 E0000006, as Okta does
//     for membership changes of such groups. Group names are unique
//     (ignoring case): 400 E0000001 naming "name". Adding an existing member
//     or removing a non-member is a 204 no-op. Membership paths take user
//     ids only.
//   - groupIds on create naming an unknown group: 404 E0000007; a
//     non-OKTA_GROUP: 403 E0000006.
//   - Paging: cursors are the last id of the page; an invalid limit (not a
//     positive integer) or cursor answers 400 E0000029; larger limits are
//     clamped (users 200, groups 10000, group members 1000). A rel="next"
//     link is sent only when another item exists.
//   - filter with an attribute or operator that filter does not support:
//     400 E0000094; a malformed expression, or in search ne, ew, or co on
//     an attribute that does not support it: 400 E0000031; a bad date:
//     400 E0000030.
//   - A POST or PUT received over a network connection with neither a
//     Content-Length nor a chunked body answers 411. In-process requests
//     (Transport, httptest.NewRequest) are taken as Go's client sends
//     them, with Content-Length: 0.
//   - With RateLimit 0, X-Rate-Limit-Limit reports 2147483647. A request
//     refused with 429 does not count against the window.
//   - The path id "me" (the caller's own user) is not supported: 404.
//   - search and q together (or filter and q) combine with "and"; q is
//     never paged.
package sandbox
