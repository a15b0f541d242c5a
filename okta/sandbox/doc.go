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
//	                    unsuspend,unlock,reset_password,expire_password,
//	                    expire_password_with_temp_password,reset_factors}
//	GET                 /api/v1/users/{id}/groups
//	DELETE              /api/v1/users/{userId}/sessions
//	GET                 /api/v1/users/{userId}/factors
//	GET                 /api/v1/logs                    (the System Log)
//	GET, POST           /api/v1/groups
//	GET, PUT, DELETE    /api/v1/groups/{groupId}
//	GET                 /api/v1/groups/{groupId}/users
//	PUT, DELETE         /api/v1/groups/{groupId}/users/{userId}
//	POST                /oauth2/v1/token                (client credentials, private_key_jwt)
//
// Requests authenticate with "Authorization: SSWS <token>" (Options.Token)
// or "Authorization: Bearer <access token>" from the token endpoint, for
// the service apps registered in Options.OAuthClients. Bearer tokens carry
// scopes: okta.users.read / okta.groups.read for GETs, okta.users.manage /
// okta.groups.manage (which include read) for changes; a token without the
// scope gets 403 E0000006 with WWW-Authenticate: Bearer
// error="insufficient_scope". The token endpoint answers OAuth errors
// ({error, error_description}): invalid_client (401) for a bad, expired,
// reused (jti) or over-long (> 1 h) assertion, invalid_scope for scopes not
// granted, unsupported_grant_type, and invalid_dpop_proof for apps with
// RequireDPoP (DPoP itself is not implemented).
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
//
// # An admin's day: groups of a user, factors, sessions, the System Log
//
//   - The demo org's factors, sessions and week of System Log history are
//     generated on its first request, relative to its clock; an org from
//     Options.Seed starts without any.
//   - GET /users/{id}/groups is paged like group members (limit default
//     200, clamped at 10000; cursor = last group id), Everyone included.
//   - reset_factors: 200 {} even with nothing enrolled; a DEPROVISIONED
//     user answers 403 E0000038. expire_password_with_temp_password: the
//     statuses of expire_password; an 8-character password meeting the
//     default policy; revokeSessions (default false) ends the sessions.
//   - The sessions and factors paths take a user id (pathUserId), not a
//     login: 404 otherwise. DELETE sessions answers 204 with or without
//     sessions; oauthTokens=true also forgets the OAuth tokens issued to
//     the user. Deactivation and suspension end the user's sessions.
//   - Factors are listed in clear (phone numbers, addresses), never with
//     secrets (answers, shared secrets); the list is not paged.
//   - System Log: every successful write through the API (never a refused
//     one, nor a no-op membership change) appends its events with actor =
//     the API token's owner (william.jones in the demo org; a synthetic
//     user 00usandboxtokenowner otherwise) or, for a Bearer token, the
//     OAuth client (type PublicClientApp); transaction.id = the response's
//     X-Okta-Request-Id; transaction.detail.requestApiTokenId for SSWS.
//     Okta sends null for unknown values; the spec declares no LogEvent
//     property nullable, so they are left out. The log keeps the latest
//     20000 events.
//   - GET /logs: since defaults to 7 days before until, until to now;
//     events older than 90 days are never returned, and a since more than
//     180 days back is 400 E0000053. until is exclusive when given. limit
//     0..1000 (default 100; larger values are clamped); bad dates, limits,
//     sortOrder, after or q (more than 10 keywords or one over 40
//     characters) answer 400 E0000001. No until and ASCENDING is a polling
//     query: rel="next" on every page, even an empty one; otherwise next
//     only when more events remain. The after cursor is
//     "<published ms>_<sequence>"; since and until still bound a query that
//     has one.
//   - filter: SCIM syntax (expr.go) over eventType, displayMessage,
//     severity, uuid, actor.*, target.* (a clause matches when any target
//     does), client.ipAddress/zone/device/id, client.userAgent.*,
//     client.geographicalContext.*, outcome.result/reason, transaction.*,
//     authenticationContext.externalSessionId and debugContext.debugData.*;
//     eq/ne/gt/ge/lt/le compare exactly, sw/co/ew ignore case. A syntax
//     error, an unknown field or published: 400 E0000053; co on
//     debugData.url or requestUri: 400 E0000031.
//   - q: every keyword must equal, ignoring case, a whole field value or
//     one of its words (split at anything but letters and digits).
package sandbox
