// End-to-end check of okta-mcp's remote MCP authorization (issue 12) with the official MCP
// TypeScript SDK client's OAuth support, over streamable HTTP.
//
// Usage: node oauth.mjs --bin /path/to/okta-mcp [--sandbox-bin /path/to/okta-mcp] [--verbose]
//
// Part 1, against the in-memory org as the authorization server:
//   `okta-mcp sandbox --auto-approve ada.lovelace@example.com` (its custom authorization server
//   `default`), and `okta-mcp --transport http --oauth-issuer <sandbox>/oauth2/default` using the
//   sandbox's Management API with its own API token. The SDK client discovers everything from the
//   401 (protected resource metadata, then the authorization server's metadata), signs in with the
//   authorization code grant and PKCE (the auto-approved redirect is followed by the provider's
//   redirectToAuthorization), uses the token (tools/list shows the read-only tools only), steps up
//   on the 403 insufficient_scope of a write, refreshes an access token okta-mcp refuses, and the
//   audit line names the person. A real sandbox token for another audience is refused.
// Part 2, against an authorization server this script runs itself on 127.0.0.1 (metadata and JWKS
//   of a key made here): tokens minted here with a wrong iss, aud, signature, expiry, alg or scope
//   are refused with the right status and challenge, and a correct one is accepted.
//
// It starts the servers it needs on free 127.0.0.1 ports and stops them before it exits.
// One line per check; the last line is exactly `N passed, M failed`; the exit code is 1 on any failure.

import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { check, errText, finish, flag, freePort, short, sleep, startServer, startWatchdog, stopChild, withTimeout } from './harness.mjs';

const BIN = flag('--bin') ?? process.env.OKTA_MCP_BIN;
const SANDBOX_BIN = flag('--sandbox-bin') ?? BIN;
if (!BIN) {
  console.error('usage: node oauth.mjs --bin /path/to/okta-mcp [--sandbox-bin /path/to/okta-mcp] [--verbose]');
  process.exit(2);
}

const REQUEST_TIMEOUT_MS = 15_000;
const GLOBAL_TIMEOUT_MS = 120_000;
const PERSON = 'ada.lovelace@example.com';
const SANDBOX_TOKEN = `e2e-${randomBytes(12).toString('hex')}`;
const CLIENT_ID = 'okta-mcp-sandbox'; // the sandbox's public client (pre-registered, PKCE)

// ---------------------------------------------------------------------------------------------
// JWT helpers

const b64u = (b) => Buffer.from(b).toString('base64url');

function claimsOf(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

function mint(claims, { key, kid = 'k1', alg = 'RS256' }) {
  const head = b64u(JSON.stringify({ alg, kid, typ: 'JWT' }));
  const body = b64u(JSON.stringify(claims));
  if (alg === 'none') return `${head}.${body}.`;
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64u(sig)}`;
}

// wwwAuth parses a Bearer challenge into its parameters.
function wwwAuth(res) {
  const h = res.headers.get('www-authenticate') ?? '';
  const out = { scheme: h.split(' ')[0] };
  for (const m of h.matchAll(/([a-z_]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'oauth-e2e', version: '1' } },
});
const callBody = (name, args) => JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });

async function post(url, body, token) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  return { res, text };
}

// ---------------------------------------------------------------------------------------------
// The OAuth client provider: a pre-registered public client whose "browser" follows the
// auto-approved authorization redirect and keeps the code.

class HeadlessProvider {
  constructor(redirectUrl) {
    this._redirectUrl = redirectUrl;
    this.info = { client_id: CLIENT_ID };
    this.authorizations = []; // URLs of the authorization requests, in order
    this.saved = []; // token responses saved, in order
    this.extraScope = ''; // scopes the app adds to the next authorization request
    this.code = undefined;
  }
  get redirectUrl() { return this._redirectUrl; }
  get clientMetadata() {
    return { client_name: 'okta-mcp oauth e2e', redirect_uris: [this._redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() { return this.info; }
  saveClientInformation(i) { this.info = i; }
  tokens() { return this.t; }
  saveTokens(t) { this.t = t; this.saved.push(t); }
  saveCodeVerifier(v) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
  state() { this._state = randomBytes(16).toString('base64url'); return this._state; }
  async redirectToAuthorization(url) {
    const u = new URL(url);
    if (this.extraScope) {
      u.searchParams.set('scope', `${u.searchParams.get('scope') ?? ''} ${this.extraScope}`.trim());
      this.extraScope = '';
    }
    this.authorizations.push(u);
    const res = await fetch(u, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const loc = res.headers.get('location');
    if (res.status !== 302 || !loc) throw new Error(`authorization request answered ${res.status}, not a redirect: ${short(await res.text())}`);
    const back = new URL(loc);
    if (back.searchParams.get('error')) throw new Error(`authorization error ${back.searchParams.get('error')}: ${back.searchParams.get('error_description')}`);
    if (back.searchParams.get('state') !== this._state) throw new Error('the state came back changed');
    this.code = back.searchParams.get('code');
  }
}

// ---------------------------------------------------------------------------------------------
// Part 1: the SDK client against okta-mcp and the sandbox's authorization server

async function part1() {
  const sandbox = await startServer('sandbox', SANDBOX_BIN,
    (p) => ['sandbox', '--listen', `127.0.0.1:${p}`, '--token', SANDBOX_TOKEN, '--auto-approve', PERSON],
    '/oauth2/default/.well-known/oauth-authorization-server');
  const issuer = `${sandbox.base}/oauth2/default`;
  const mcpServer = await startServer('okta-mcp', BIN,
    (p) => ['--transport', 'http', '--listen', `127.0.0.1:${p}`, '--allow-http', '--toolsets', 'all', '--oauth-issuer', issuer],
    '/healthz', { env: { OKTA_ORG_URL: sandbox.base, OKTA_API_TOKEN: SANDBOX_TOKEN } });
  const mcpURL = `${mcpServer.base}/mcp`;
  const servers = [mcpServer, sandbox];
  try {
    check('[start] okta-mcp logs that OAuth protects the MCP endpoint, with its issuer and audience',
      /mcp_auth="oauth \(issuer [^ ]+\/oauth2\/default, audience http:\/\/127\.0\.0\.1:\d+\/mcp/.test(mcpServer.log.join('')),
      short(mcpServer.log.join('').split('\n').find((l) => l.includes('listening')) ?? ''));

    // The 401 and the metadata, as a client sees them.
    const { res: r401 } = await post(mcpURL, INITIALIZE);
    const ch = wwwAuth(r401);
    check('[discovery] POST /mcp without a token: 401 with a Bearer challenge naming the resource metadata and scope',
      r401.status === 401 && ch.scheme === 'Bearer' && ch.resource_metadata === `${mcpServer.base}/.well-known/oauth-protected-resource/mcp` &&
      ch.scope === 'okta-mcp.read' && ch.error === undefined, `${r401.status} ${r401.headers.get('www-authenticate')}`);
    const meta = await (await fetch(ch.resource_metadata)).json().catch(() => ({}));
    check('[discovery] protected resource metadata: resource, authorization server, scopes, header bearer method',
      meta.resource === mcpURL && JSON.stringify(meta.authorization_servers) === JSON.stringify([issuer]) &&
      JSON.stringify(meta.scopes_supported) === JSON.stringify(['okta-mcp.read', 'okta-mcp.manage']) &&
      JSON.stringify(meta.bearer_methods_supported) === JSON.stringify(['header']), short(meta));

    // Sign-in through the SDK: connect fails with UnauthorizedError after the provider was sent to
    // the authorization endpoint; finishAuth exchanges the code; a new transport connects.
    const redirect = `http://127.0.0.1:${await freePort()}/callback`;
    const provider = new HeadlessProvider(redirect);
    const client = new Client({ name: 'oauth-e2e', version: '1' });
    let firstErr;
    try {
      await withTimeout(client.connect(new StreamableHTTPClientTransport(new URL(mcpURL), { authProvider: provider })), REQUEST_TIMEOUT_MS, 'connect');
    } catch (e) {
      firstErr = e;
    }
    const az = provider.authorizations[0];
    check('[sign-in] the SDK client discovers the authorization server from the 401 and asks for authorization',
      firstErr instanceof UnauthorizedError && az !== undefined && az.origin + az.pathname === `${issuer}/v1/authorize`,
      firstErr ? errText(firstErr) : 'connected without signing in');
    check('[sign-in] authorization request: code + PKCE S256, the challenged scope, the resource (RFC 8707)',
      az && az.searchParams.get('response_type') === 'code' && az.searchParams.get('code_challenge_method') === 'S256' &&
      /^[A-Za-z0-9_-]{43}$/.test(az.searchParams.get('code_challenge') ?? '') && az.searchParams.get('scope') === 'okta-mcp.read' &&
      az.searchParams.get('resource') === mcpURL && az.searchParams.get('client_id') === CLIENT_ID, az ? az.search : 'none');
    check('[sign-in] the auto-approved redirect carries a code back', typeof provider.code === 'string' && provider.code.length > 0);

    let transport = new StreamableHTTPClientTransport(new URL(mcpURL), { authProvider: provider });
    let connected = false;
    try {
      await withTimeout(transport.finishAuth(provider.code), REQUEST_TIMEOUT_MS, 'finishAuth');
      await withTimeout(client.connect(transport), REQUEST_TIMEOUT_MS, 'connect after sign-in');
      connected = true;
    } catch (e) {
      check('[sign-in] token exchange and connect', false, errText(e));
    }
    const at1 = provider.tokens()?.access_token ?? '';
    const c1 = claimsOf(at1);
    check('[sign-in] the access token is for okta-mcp (aud = the MCP URL), from the default server, for the person, read scope only',
      connected && c1.aud === mcpURL && c1.iss === issuer && c1.sub === PERSON && JSON.stringify(c1.scp) === JSON.stringify(['okta-mcp.read']),
      short(c1));
    if (!connected) return;

    // Token use: tools/list shows the read-only tools only; a read works.
    const listed = (await withTimeout(client.listTools(), REQUEST_TIMEOUT_MS, 'tools/list')).tools;
    const allReadOnly = listed.every((t) => t.annotations?.readOnlyHint === true);
    check('[scope] tools/list with okta-mcp.read lists only read-only tools',
      listed.length > 0 && allReadOnly && listed.some((t) => t.name === 'okta_get_user') && !listed.some((t) => t.name === 'okta_suspend_user'),
      `${listed.length} tools: ${listed.map((t) => t.name).join(', ')}`);
    const got = await withTimeout(client.callTool({ name: 'okta_get_user', arguments: { userId: 'grace.hopper@example.com' } }), REQUEST_TIMEOUT_MS, 'okta_get_user');
    check('[scope] a read tool works with okta-mcp.read', !got.isError && got.structuredContent?.login === 'grace.hopper@example.com', short(got));

    // Step-up: the write gets 403 insufficient_scope; the SDK re-authorizes with okta-mcp.manage.
    // (This app also asks for offline_access then, to have a refresh token below.)
    provider.extraScope = 'offline_access';
    const suspend = { name: 'okta_suspend_user', arguments: { userId: 'grace.hopper@example.com' } };
    let stepErr;
    try {
      await withTimeout(client.callTool(suspend), REQUEST_TIMEOUT_MS, 'okta_suspend_user with okta-mcp.read');
    } catch (e) {
      stepErr = e;
    }
    const az2 = provider.authorizations[1];
    check('[step-up] a write with okta-mcp.read makes the SDK re-authorize asking for okta-mcp.manage (403 insufficient_scope)',
      stepErr instanceof UnauthorizedError && az2 !== undefined && az2.searchParams.get('scope') === 'okta-mcp.manage offline_access' &&
      az2.searchParams.get('resource') === mcpURL, stepErr ? errText(stepErr) : 'the write went through with the read scope');
    let stepped;
    try {
      await withTimeout(transport.finishAuth(provider.code), REQUEST_TIMEOUT_MS, 'finishAuth (step-up)');
      stepped = await withTimeout(client.callTool(suspend), REQUEST_TIMEOUT_MS, 'okta_suspend_user with okta-mcp.manage');
    } catch (e) {
      stepped = { isError: true, error: errText(e) };
    }
    const c2 = claimsOf(provider.tokens()?.access_token ?? '');
    check('[step-up] with the new okta-mcp.manage token the write succeeds',
      stepped && !stepped.isError && stepped.structuredContent?.success === true && (c2.scp ?? []).includes('okta-mcp.manage'), short(stepped));
    const all = (await withTimeout(client.listTools(), REQUEST_TIMEOUT_MS, 'tools/list (manage)')).tools;
    check('[step-up] tools/list with okta-mcp.manage lists every tool, writes included',
      all.length > listed.length && all.some((t) => t.name === 'okta_suspend_user'), `${all.length} vs ${listed.length}`);

    // Refresh: okta-mcp refuses the access token (401 invalid_token); the SDK uses the refresh
    // token and retries, without a new authorization request.
    const before = provider.tokens();
    check('[refresh] the step-up token response carries a refresh token', typeof before?.refresh_token === 'string' && before.refresh_token.length > 0);
    provider.saveTokens({ ...before, access_token: `${before.access_token.slice(0, -8)}AAAAAAAA` }); // a broken signature
    const nAuth = provider.authorizations.length;
    let again;
    try {
      again = await withTimeout(client.callTool({ name: 'okta_get_user', arguments: { userId: PERSON } }), REQUEST_TIMEOUT_MS, 'call after refresh');
    } catch (e) {
      again = { isError: true, error: errText(e) };
    }
    const after = provider.tokens();
    check('[refresh] a refused access token is refreshed with the refresh token and the call retried',
      !again.isError && again.structuredContent?.login === PERSON && provider.authorizations.length === nAuth &&
      after.access_token !== before.access_token && claimsOf(after.access_token).sub === PERSON, short(again));

    // The person is recorded: the audit line of the write names them.
    await sleep(200);
    const log = mcpServer.log.join('');
    const auditLine = log.split('\n').find((l) => l.includes('okta write') && l.includes('okta_suspend_user') && l.includes('result=ok'));
    check('[audit] the write\'s audit line names the person (sub and uid of the token)',
      auditLine !== undefined && auditLine.includes(`caller=${PERSON}`) && /caller_id=00u\w+/.test(auditLine) && auditLine.includes(`caller_client=${CLIENT_ID}`),
      short(auditLine ?? log.slice(-1500), 600));
    check('[audit] no access or refresh token appears in okta-mcp\'s log',
      ![at1, before.access_token, after.access_token, before.refresh_token].some((t) => t && log.includes(t.split('.').pop())));
    try { await client.close(); } catch { /* closing */ }

    // A real token of the same authorization server, but for another audience (no RFC 8707
    // resource: aud api://default), is refused.
    const other = await sandboxToken(issuer, redirect, undefined);
    const { res: rAud, text: tAud } = await post(mcpURL, INITIALIZE, other);
    check('[rejected] a sandbox token for api://default (not this resource) gets 401 invalid_token',
      claimsOf(other).aud === 'api://default' && rAud.status === 401 && wwwAuth(rAud).error === 'invalid_token' && /another resource/.test(tAud),
      `${rAud.status} ${rAud.headers.get('www-authenticate')} aud=${claimsOf(other).aud}`);
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)));
  }
}

// sandboxToken runs the authorization code flow by hand (PKCE) and returns the access token.
async function sandboxToken(issuer, redirect, resource) {
  const verifier = b64u(randomBytes(32));
  const challenge = b64u(createHash('sha256').update(verifier).digest());
  const q = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', scope: 'okta-mcp.read', redirect_uri: redirect,
    state: 'x'.repeat(16), code_challenge: challenge, code_challenge_method: 'S256' });
  if (resource) q.set('resource', resource);
  const res = await fetch(`${issuer}/v1/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirect, client_id: CLIENT_ID });
  if (resource) form.set('resource', resource);
  const tok = await (await fetch(`${issuer}/v1/token`, { method: 'POST', body: form })).json();
  return tok.access_token;
}

// ---------------------------------------------------------------------------------------------
// Part 2: tokens minted here, against okta-mcp trusting an authorization server run here

async function part2() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }) };
  const pub = { kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e };
  let issuer = '';
  const as = http.createServer((req, res) => {
    if (req.url === '/oauth2/e2e/.well-known/oauth-authorization-server') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/v1/keys`, authorization_endpoint: `${issuer}/v1/authorize`,
        token_endpoint: `${issuer}/v1/token`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }));
    } else if (req.url === '/oauth2/e2e/v1/keys') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [pub] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((r) => as.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${as.address().port}/oauth2/e2e`;
  let mcpServer;
  try {
    mcpServer = await startServer('okta-mcp (test issuer)', BIN,
      (p) => ['--sandbox', '--toolsets', 'all', '--transport', 'http', '--listen', `127.0.0.1:${p}`, '--allow-http', '--oauth-issuer', issuer], '/healthz');
    const mcpURL = `${mcpServer.base}/mcp`;
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: issuer, aud: mcpURL, sub: 'alan.turing@example.com', uid: '00uturing', cid: 'e2e', iat: now, exp: now + 600 };
    const tok = (over, opts = {}) => mint({ ...base, scp: ['okta-mcp.manage'], ...over }, { key: privateKey, ...opts });

    const ok = await post(mcpURL, INITIALIZE, tok({}));
    check('[minted] a correctly signed token for this resource is accepted', ok.res.status === 200, `${ok.res.status} ${short(ok.text)}`);

    const cases = [
      ['wrong iss', tok({ iss: 'http://127.0.0.1:1/oauth2/other' }), /another authorization server/],
      ['wrong aud', tok({ aud: 'api://default' }), /another resource/],
      ['aud of another MCP server', tok({ aud: 'http://127.0.0.1:1/mcp' }), /another resource/],
      ['signature by another key', tok({}, { key: otherKey }), /signature is not valid/],
      ['tampered claims', (() => { const p = tok({ scp: ['okta-mcp.read'] }).split('.'); p[1] = b64u(JSON.stringify({ ...base, scp: ['okta-mcp.manage'] })); return p.join('.'); })(), /signature is not valid/],
      ['expired', tok({ iat: now - 7200, exp: now - 3600 }), /expired/],
      ['not yet valid', tok({ nbf: now + 3600 }), /not valid yet/],
      ['alg none', tok({}, { alg: 'none' }), /signature is not valid/],
      ['unknown kid', tok({}, { key: otherKey, kid: 'k9' }), /does not publish/],
    ];
    for (const [name, token, want] of cases) {
      const { res, text } = await post(mcpURL, INITIALIZE, token);
      const c = wwwAuth(res);
      check(`[minted] ${name}: 401 invalid_token naming the metadata`,
        res.status === 401 && c.error === 'invalid_token' && c.resource_metadata === `${mcpServer.base}/.well-known/oauth-protected-resource/mcp` &&
        want.test(c.error_description ?? '') && want.test(text), `${res.status} ${res.headers.get('www-authenticate')}`);
    }

    // Scope: a read token cannot write (403, step-up challenge); a token without okta-mcp scopes
    // gets nothing.
    const readTok = tok({ scp: ['okta-mcp.read'] });
    const w = await post(mcpURL, callBody('okta_delete_group', { groupId: '00gexample' }), readTok);
    const wc = wwwAuth(w.res);
    check('[minted] okta-mcp.read calling a write tool: 403 insufficient_scope, scope="okta-mcp.manage"',
      w.res.status === 403 && wc.error === 'insufficient_scope' && wc.scope === 'okta-mcp.manage' && wc.resource_metadata !== undefined,
      `${w.res.status} ${w.res.headers.get('www-authenticate')}`);
    const none = tok({ scp: ['openid', 'profile'] });
    const n = await post(mcpURL, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), none);
    const nc = wwwAuth(n.res);
    check('[minted] a token with neither okta-mcp scope listing tools: 403 insufficient_scope, scope="okta-mcp.read"',
      n.res.status === 403 && nc.error === 'insufficient_scope' && nc.scope === 'okta-mcp.read', `${n.res.status} ${n.res.headers.get('www-authenticate')}`);
    const ni = await post(mcpURL, INITIALIZE, none);
    check('[minted] ... while initialize needs no scope', ni.res.status === 200, `${ni.res.status} ${short(ni.text)}`);
    const q = await fetch(`${mcpURL}?access_token=${encodeURIComponent(tok({}))}`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INITIALIZE });
    await q.arrayBuffer();
    check('[minted] a token in the query string is not accepted (401)', q.status === 401, String(q.status));
  } finally {
    if (mcpServer) await stopChild(mcpServer.child);
    as.close();
  }
}

// ---------------------------------------------------------------------------------------------

startWatchdog(GLOBAL_TIMEOUT_MS, 'OAuth');

for (const [name, part] of [['part 1 (sandbox authorization server)', part1], ['part 2 (minted tokens)', part2]]) {
  try {
    await part();
  } catch (e) {
    check(name, false, errText(e));
  }
}
finish();
