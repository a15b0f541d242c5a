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
// something. It follows Okta's behaviour as documented and, where the
// documentation is loose, as recorded answers of real orgs show it
// (fidelity_test.go: tables of facts, each citing the recording or
// document it comes from): status codes, error bodies {errorCode,
// errorSummary, errorLink, errorId, errorCauses}, X-Okta-Request-Id and
// (but on 405s) X-Rate-Limit-* headers on every response, 20-character ids,
// whole-second timestamps, _links by user status, the user lifecycle, a
// user schema, login uniqueness (ignoring case and diacritics), the
// search/filter expression language, q prefix search, cursor pagination
// with Link headers, and rate-limit buckets.
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
// signed-in user acts with every right the scopes give, unless the seed
// makes them a Read-only Admin (SeedUser.AdminRole; the demo org's
// isabella.garcia@example.com): then, as for an API token acting as a
// Read-only Admin's (Options.TokenRole), only GETs work, and any other
// method is 403 E0000006 (without an insufficient_scope challenge: the
// scope is there, the role does not cover it) before anything is changed,
// leaving no System Log event. Okta would refuse a user without any admin
// role too; the sandbox lets them act, so that any demo user can try the
// tools. The System Log names the signed-in user (or the service app)
// as the actor of their writes, with the OAuth client as client.id, and
// records sign-ins (user.session.start, also failed ones) and token grants
// (app.oauth2[.as].token.grant.access_token). The token endpoint answers OAuth errors ({error,
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
// one per-minute limit for every bucket, or NoRateLimit for none (tests
// and benchmarks that send thousands of requests a minute use it). Faults
// (Options.Faults, SetFaults, AddFault) inject latency, 5xx answers, 429
// storms, slow responses and dropped connections, before or after the
// request is processed, for matching methods and paths, a number of times
// or with a seeded probability. LookupUser, LookupGroup, UserCount,
// GroupCount, Requests and RequestCount inspect the org without going
// through the API. GenerateSeed builds large orgs for load tests.
//
// # User schema
//
// Profiles are checked against a user schema: Okta's base attributes
// (login, email, firstName, lastName, middleName, honorificPrefix,
// honorificSuffix, title, displayName, nickName, profileUrl, secondEmail,
// mobilePhone, primaryPhone, streetAddress, city, state, zipCode,
// countryCode, postalAddress, preferredLanguage, locale, timezone, userType,
// employeeNumber, costCenter, organization, division, department,
// managerId, manager) and the custom attributes the seed declares
// ({"schema": {"custom": {"badgeId": {"type": "string"}}}}, see Seed). Any
// other attribute is refused with 400 E0000001 and the cause "Property
// name '<name>' is not defined in profile" (summary "Api validation
// failed: newUser" on create, as recorded; "Api validation failed:
// profile" on updates, a choice), and nothing changes. A seed user with an
// undeclared attribute is a seed error.
//
// # Rate limits
//
// By default each request counts against the bucket Okta counts it
// against, with the per-minute limit of a standard (Workforce Identity)
// org, from Okta's management rate-limit table and confirmed by the
// X-Rate-Limit-* headers of recorded traffic (fidelity_test.go):
//
//	/api/v1/users            600   GET and POST /api/v1/users, and every
//	                               /api/v1/users/{id}/... operation (lifecycle,
//	                               groups): recordings show them sharing one
//	                               counter with create and list
//	GET /api/v1/users/{id}   2000  get a user by id or login
//	/api/v1/users/{id}       600   POST, PUT, DELETE of one user
//	/api/v1/groups           500   /api/v1/groups and /api/v1/groups/{id}/...
//	                               (members, membership changes)
//	/api/v1/groups/{id}      1000  GET, PUT, DELETE of one group
//	/api/v1/logs             120
//	/oauth2/...              2000  one bucket per path (/oauth2/v1/token, ...)
//	/api/v1                  1200  anything else
//
// Recordings disagree on deactivate: some count it with create and list,
// others with DELETE; the org counts it with the other lifecycle
// operations. Per-token shares (50 % of a bucket by default), concurrency
// limits and the lower limits of free and developer plans are not
// modelled.
//
// # Choices where Okta's documentation and the recordings are silent or disagree
//
//   - _links of a single user follow the recordings for STAGED,
//     PROVISIONED, ACTIVE, PASSWORD_EXPIRED, SUSPENDED and DEPROVISIONED
//     (lifecycle, credential, schema and type links; collections carry
//     self only). resetFactors appears in some recordings and not others
//     for the same status; the org always offers it except to DEPROVISIONED
//     users (as the Identity Engine org; the Classic one offers it there
//     too, but reset_factors of a DEPROVISIONED user is refused here).
//     RECOVERY and LOCKED_OUT were never recorded: they offer their legal
//     operations. FEDERATION and SOCIAL users get no password links.
//   - As the links offer it, suspend is legal from ACTIVE, PASSWORD_EXPIRED
//     and PROVISIONED (Okta's reference says ACTIVE only; the recorded links
//     say more), and reset_password also from PROVISIONED. Unsuspending a
//     user without a password returns it to PROVISIONED, otherwise ACTIVE.
//   - Create: activated and statusChanged are the creation time whenever
//     the user is activated on create (PROVISIONED too); a hashed or hooked
//     password gives the IMPORT provider; credentials.provider FEDERATION
//     or SOCIAL (with provider=true, or without) gives an ACTIVE (STAGED
//     with activate=false) user without password, and a password or
//     recovery question with it is 400 E0000001. Other provider types on
//     create: 400 E0000001.
//   - Profiles always show mobilePhone and secondEmail (null when unset);
//     attributes set to null are removed; keys are sorted (Okta's order is
//     not stable). transitioningToStatus is never sent (no transition is
//     asynchronous here).
//   - Membership changes of the BUILT_IN Everyone group: 501 E0000060
//     "Unsupported operation." (the error catalog; the spec declares no 501
//     for them, an exception the contract test records).
//   - Link headers: self is the request in canonical form (after, the
//     effective limit, then the other parameters; sortOrder dropped without
//     sortBy); answers to q have no Link header (recorded for groups, the
//     same for users).
//   - A user read (GET /api/v1/users/{id}) carries a weak ETag; create,
//     update, lifecycle and list answers carry none, as recorded. If-Match
//     is honoured on updates.
//   - X-Okta-Request-Id is 32 hex digits as in 2025-2026 recordings (older
//     orgs sent 27 base64 characters); errorId is "oae" and 22 characters.
//
// # Deliberate differences from Okta that remain
//
//   - Links the org offers but does not serve answer 404: the
//     credentials links (changePassword, changeRecoveryQuestion,
//     forgotPassword), schema and type (/api/v1/meta/...).
//   - Group logos are under the org's own host
//     (/assets/img/logos/groups/odyssey/okta-medium.png); Okta serves them
//     from its CDN with a content hash in the name. Groups have no owners
//     link (group owners are a feature not modelled).
//   - realmId (2026 recordings of orgs with realms) is never sent; the
//     org has one user type and one schema.
//   - Values of custom attributes are not checked against their declared
//     type, and base attributes only as validateUserProfile does (required
//     ones, lengths, email formats); Okta checks every constraint of the
//     schema.
//   - Cursors are the last id of the page (Okta's are opaque; some recorded
//     user cursors are the id with a prefix).
//   - Rate limits: see # Rate limits (no per-token share, no concurrency
//     limit).
//   - The activation link is /tokens/<token>/verify (Identity Engine); a
//     Classic org sends /welcome/<token>.
//   - Nothing happens asynchronously: no Prefer: respond-async, no
//     ACTIVATING, no 409 E0000112. Every change is visible at once, where
//     Okta is eventually consistent (recorded: a group's
//     lastMembershipUpdated lagging a membership change by seconds;
//     a search answering a user still transitioningToStatus PROVISIONED).
//   - One BUILT_IN group (Everyone); real orgs also have "Okta
//     Administrators".
//   - Every timestamp is a whole second, System Log published times too
//     (Okta's System Log documentation shows milliseconds there; no
//     recording of it was found to confirm).
//
// # Other choices where Okta's documentation is silent
//
//   - Unknown paths answer 404 E0000008; a known path with another method
//     405 E0000022, without X-Rate-Limit-* headers (as recorded 405s).
//   - Missing or malformed Authorization: 403 E0000005; a wrong SSWS or
//     Bearer token: 401 E0000011. Routing comes before authentication.
//   - activate on an ACTIVE user: 403 E0000016; from any status other than
//     STAGED or DEPROVISIONED: 403 E0000038. Without a password the user
//     becomes PROVISIONED, with one ACTIVE.
//   - deactivate on a DEPROVISIONED user: 403 E0000038 (it is not a legal
//     transition and _links never offer it).
//   - suspend from another status (see above) and unsuspend of a
//     non-SUSPENDED user: 400 E0000001 with a cause naming the status.
//   - reset_password is legal from ACTIVE, RECOVERY, PASSWORD_EXPIRED,
//     LOCKED_OUT and PROVISIONED (else 403 E0000038); without sendEmail:
//     400 E0000028. expire_password is legal from the same statuses but
//     PROVISIONED. reactivate from PROVISIONED and RECOVERY. unlock only
//     from LOCKED_OUT (else 403 E0000032, cause "The user is not locked
//     out.", as recorded).
//   - Lifecycle operations without a documented body answer 200 with {}.
//   - Profile updates (POST or PUT) of a DEPROVISIONED user are ignored, as
//     Okta ignores them by default; the user is returned unchanged.
//   - Passwords follow Okta's default policy: 8+ characters with a lower-
//     and an upper-case letter and a digit, and no part of the username.
//   - Groups: BUILT_IN (Everyone) cannot be changed or deleted (403
//     E0000006) nor have its members changed (501 E0000060, above);
//     APP_GROUPs can be deleted but not changed and their members not
//     changed (403 E0000006). Group names are unique
//     (ignoring case): 400 E0000001 naming "name". Adding an existing member
//     or removing a non-member is a 204 no-op. Membership paths take user
//     ids only.
//   - groupIds on create naming an unknown group: 404 E0000007; a
//     non-OKTA_GROUP: 403 E0000006.
//   - Order: groups are listed by name (ignoring case and diacritics; q
//     too), ties by id, as recorded; users, group members and a user's
//     groups by id.
//   - Paging: cursors are the last id of the page (a group deleted since
//     still works as a group cursor; another unknown id is 400 E0000029);
//     an invalid limit (not a
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
//   - Rate limits: see # Rate limits. With NoRateLimit, X-Rate-Limit-Limit
//     reports 2147483647. A request refused with 429 does not count
//     against the window.
//   - The path id "me" (the caller's own user) is not supported: 404.
//   - search and q together (or filter and q) combine with "and"; q is
//     never paged.
//
// # An admin's day: groups of a user, factors, sessions, the System Log
//
//   - The demo org's factors, sessions and week of System Log history are
//     generated on its first request, relative to its clock; an org from
//     Options.Seed starts with what the seed lists (SeedLogEvent: "ago"
//     counts back from the org's creation). A seeded event without an
//     actor is the API token owner's, as the org's own admin writes are;
//     seeded events older than 90 days are kept but not returned.
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
//     "<published ms>_<sequence>_<since ms>": it carries the lower bound,
//     so next links leave since out, and since with after is 400 E0000001
//     (Okta documents that they cannot be combined); until stays in the
//     query.
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
