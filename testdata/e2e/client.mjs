// End-to-end checks of the built okta-mcp binary with the official MCP TypeScript SDK client.
//
// Usage: node client.mjs --bin /path/to/okta-mcp [--only stdio,sse,http] [--verbose]
//        (or OKTA_MCP_BIN=/path/to/okta-mcp node client.mjs)
//
// For each transport (stdio, legacy SSE on /sse, streamable HTTP on /mcp) and each credential mode
// (server credentials via --sandbox; per-call apiKey/domain against `okta-mcp sandbox` with
// --allow-http; and, on SSE and HTTP, per-request X-Okta-Org-URL / X-Okta-API-Token headers) it
// checks tools/list against the seed's table (TOOLS.md), drives every tool through realistic
// onboarding / offboarding / group flows validating each structuredContent against the tool's own
// outputSchema (ajv), sends bad arguments, and negotiates every protocol version the SDK offers.
//
// It starts the servers it needs itself, on free 127.0.0.1 ports, and stops them before it exits.
// One line per check; the last line is exactly `N passed, M failed`; the exit code is 1 on any failure.

import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, LATEST_PROTOCOL_VERSION, McpError, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

import { check, errText, finish, flag, short, sleep, startServer, startWatchdog, stopChild, VERBOSE, withTimeout } from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// Settings

const BIN = flag('--bin') ?? process.env.OKTA_MCP_BIN;
const ONLY = (flag('--only') ?? 'stdio,sse,http').split(',').map((s) => s.trim()).filter(Boolean);
if (!BIN) {
  console.error('usage: node client.mjs --bin /path/to/okta-mcp [--only stdio,sse,http] [--verbose]');
  process.exit(2);
}

const REQUEST_TIMEOUT_MS = 15_000; // one MCP request
const PHASE_TIMEOUT_MS = 60_000; // one transport x mode combination, one version probe
const GLOBAL_TIMEOUT_MS = 240_000; // the whole script
const RUN_ID = randomBytes(4).toString('hex'); // unique logins / group names per run
const SANDBOX_TOKEN = `e2e-${randomBytes(12).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// The seed's tools (transcribed from shared/TOOLS.md). apiKey/domain are added in per-call mode.
// params: name -> [seed type, required]; output: documented top-level fields; items: fields of each
// array element in list outputs.

const USER_ITEM = ['id', 'status', 'firstName', 'lastName', 'email', 'login', 'mobilePhone', 'title', 'department',
  'created', 'lastLogin', 'lastUpdated', 'activated', 'statusChanged'];
const GROUP_FIELDS = ['id', 'name', 'description', 'type', 'created', 'lastUpdated', 'lastMembershipUpdated'];

const EXPECTED = {
  okta_list_users: {
    params: { search: ['string', false], filter: ['string', false], limit: ['number', false] },
    output: ['users', 'count', 'success'], list: 'users', items: USER_ITEM, readOnly: true,
  },
  okta_get_user: {
    params: { userId: ['string', true] },
    output: ['id', 'status', 'firstName', 'lastName', 'email', 'login', 'mobilePhone', 'secondEmail', 'displayName',
      'title', 'department', 'organization', 'manager', 'managerId', 'division', 'employeeNumber', 'userType',
      'created', 'activated', 'lastLogin', 'lastUpdated', 'statusChanged', 'passwordChanged', 'success'],
    readOnly: true,
  },
  okta_create_user: {
    params: { firstName: ['string', true], lastName: ['string', true], email: ['string', true], login: ['string', false],
      password: ['string', false], mobilePhone: ['string', false], title: ['string', false], department: ['string', false],
      activate: ['boolean', false] },
    output: ['id', 'status', 'firstName', 'lastName', 'email', 'login', 'created', 'lastUpdated', 'success'],
  },
  okta_update_user: {
    params: { userId: ['string', true], firstName: ['string', false], lastName: ['string', false], email: ['string', false],
      login: ['string', false], mobilePhone: ['string', false], title: ['string', false], department: ['string', false] },
    output: ['id', 'status', 'firstName', 'lastName', 'email', 'login', 'created', 'lastUpdated', 'success'],
  },
  okta_activate_user: {
    params: { userId: ['string', true], sendEmail: ['boolean', false] },
    output: ['userId', 'activated', 'activationUrl', 'activationToken', 'success'],
  },
  okta_deactivate_user: {
    params: { userId: ['string', true], sendEmail: ['boolean', false] },
    output: ['userId', 'deactivated', 'success'],
  },
  okta_suspend_user: { params: { userId: ['string', true] }, output: ['userId', 'suspended', 'success'] },
  okta_unsuspend_user: { params: { userId: ['string', true] }, output: ['userId', 'unsuspended', 'success'] },
  okta_reset_password: {
    params: { userId: ['string', true], sendEmail: ['boolean', false] },
    output: ['userId', 'resetPasswordUrl', 'success'],
  },
  okta_delete_user: {
    params: { userId: ['string', true], sendEmail: ['boolean', false] },
    output: ['userId', 'deleted', 'success'], destructive: true,
  },
  okta_list_groups: {
    params: { search: ['string', false], filter: ['string', false], limit: ['number', false] },
    output: ['groups', 'count', 'success'], list: 'groups', items: GROUP_FIELDS, readOnly: true,
  },
  okta_get_group: { params: { groupId: ['string', true] }, output: [...GROUP_FIELDS, 'success'], readOnly: true },
  okta_create_group: {
    params: { name: ['string', true], description: ['string', false] },
    output: [...GROUP_FIELDS, 'success'],
  },
  okta_update_group: {
    params: { groupId: ['string', true], name: ['string', true], description: ['string', false] },
    output: [...GROUP_FIELDS, 'success'],
  },
  okta_delete_group: { params: { groupId: ['string', true] }, output: ['groupId', 'deleted', 'success'], destructive: true },
  okta_add_user_to_group: {
    params: { groupId: ['string', true], userId: ['string', true] },
    output: ['groupId', 'userId', 'added', 'success'],
  },
  okta_remove_user_from_group: {
    params: { groupId: ['string', true], userId: ['string', true] },
    output: ['groupId', 'userId', 'removed', 'success'],
  },
  okta_list_group_members: {
    params: { groupId: ['string', true], limit: ['number', false] },
    output: ['members', 'count', 'success'], list: 'members', items: USER_ITEM, readOnly: true,
  },
  // Beyond the seed: the admin-day tools CONTRACT.md names (issue 11).
  okta_list_user_groups: {
    params: { userId: ['string', true], limit: ['number', false], after: ['string', false] },
    output: ['userId', 'groups', 'count', 'nextCursor', 'success'], list: 'groups', items: GROUP_FIELDS, readOnly: true,
  },
  okta_unlock_user: { params: { userId: ['string', true] }, output: ['userId', 'unlocked', 'status', 'success'] },
  okta_expire_password: {
    params: { userId: ['string', true], tempPassword: ['boolean', false] },
    output: ['userId', 'status', 'tempPassword', 'message', 'success'], destructive: true,
  },
  okta_clear_user_sessions: {
    params: { userId: ['string', true], oauthTokens: ['boolean', false] },
    output: ['userId', 'sessionsCleared', 'oauthTokensRevoked', 'message', 'success'], destructive: true,
  },
  okta_list_user_factors: {
    params: { userId: ['string', true] },
    output: ['userId', 'factors', 'count', 'success'], list: 'factors',
    items: ['id', 'factorType', 'provider', 'vendorName', 'status', 'created', 'lastUpdated', 'profile'], readOnly: true,
  },
  okta_reset_user_factors: {
    params: { userId: ['string', true] }, output: ['userId', 'reset', 'removed', 'message', 'success'], destructive: true,
  },
  okta_get_system_log: {
    params: { since: ['string', false], until: ['string', false], filter: ['string', false], q: ['string', false],
      limit: ['number', false], after: ['string', false], sortOrder: ['string', false] },
    output: ['events', 'count', 'nextCursor', 'since', 'until', 'success'], list: 'events',
    items: ['time', 'eventType', 'displayMessage', 'outcome', 'actor', 'targets', 'client', 'transactionId'], readOnly: true,
  },
  okta_offboard_user: {
    params: { userId: ['string', true], dryRun: ['boolean', false], deactivate: ['boolean', false], planId: ['string', false] },
    output: ['userId', 'login', 'status', 'dryRun', 'planId', 'steps', 'keptGroups', 'warnings', 'completed', 'message', 'success'],
    list: 'steps', items: ['step', 'action', 'target', 'description', 'outcome', 'error'], destructive: true,
  },
};
const TOOL_NAMES = Object.keys(EXPECTED);
const ANNOTATIONS = ['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];

// ---------------------------------------------------------------------------------------------
// Tool calls seen over all combinations

const called = new Map(); // tool name -> successful calls, over all combinations

// ---------------------------------------------------------------------------------------------
// Connecting with a chosen protocol version

// pinVersion makes the SDK client offer `version` in initialize (the SDK always offers its latest)
// and records what the server answered.
function pinVersion(transport, version) {
  const info = { offered: version ?? LATEST_PROTOCOL_VERSION, negotiated: undefined };
  let initId;
  const send = transport.send.bind(transport);
  transport.send = (msg, opts) => {
    if (msg && msg.method === 'initialize') {
      initId = msg.id;
      if (version) msg = { ...msg, params: { ...msg.params, protocolVersion: version } };
    }
    return send(msg, opts);
  };
  let handler;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get() {
      if (!handler) return undefined;
      return (msg, extra) => {
        if (initId !== undefined && msg && msg.id === initId && msg.result) info.negotiated = msg.result.protocolVersion;
        return handler(msg, extra);
      };
    },
    set(h) { handler = h; },
  });
  return info;
}

// env: the servers and credentials of one credential mode.
async function connect(kind, env, version, { onElicit } = {}) {
  let transport;
  let stderrLog = [];
  if (kind === 'stdio') {
    transport = new StdioClientTransport({ command: BIN, args: env.stdioArgs, stderr: 'pipe' });
    transport.stderr?.on('data', (d) => { stderrLog.push(d.toString()); if (stderrLog.length > 200) stderrLog.shift(); });
  } else if (kind === 'sse') {
    transport = new SSEClientTransport(new URL(`${env.sse.base}/sse`), { requestInit: { headers: env.headers ?? {} } });
  } else {
    transport = new StreamableHTTPClientTransport(new URL(`${env.http.base}/mcp`), { requestInit: { headers: env.headers ?? {} } });
  }
  const info = pinVersion(transport, version);
  // With onElicit the client declares elicitation and answers the server's questions with it.
  const client = new Client({ name: 'okta-mcp-e2e', version: '1.0.0' }, { capabilities: onElicit ? { elicitation: {} } : {} });
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (req) => onElicit(req.params));
  // Errors the SDK reports outside a request (unparsable stdout lines, broken streams...). Aborts are
  // what closing a connection looks like, and are not counted.
  const errors = [];
  client.onerror = (e) => {
    if (VERBOSE) console.error(`[${kind}] client error: ${errText(e)}`);
    if (!/abort/i.test(errText(e))) errors.push(errText(e));
  };
  await withTimeout(client.connect(transport, { timeout: REQUEST_TIMEOUT_MS }), REQUEST_TIMEOUT_MS + 2000, `${kind} connect`);
  return { client, transport, info, stderrLog, errors };
}

async function closeQuietly(conn) {
  if (!conn) return;
  try { await withTimeout(conn.client.close(), 5000, 'close'); } catch { /* best effort */ }
}

// ---------------------------------------------------------------------------------------------
// Schemas

function compilerFor(schema) {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = dialect.includes('draft-07') || dialect.includes('draft-04') || dialect.includes('draft-06')
    ? new Ajv({ strict: false, allErrors: true })
    : new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

function typeMatches(seedType, schemaType) {
  const types = Array.isArray(schemaType) ? schemaType.filter((t) => t !== 'null') : [schemaType];
  if (types.length !== 1) return false;
  if (seedType === 'number') return types[0] === 'number' || types[0] === 'integer';
  return types[0] === seedType;
}

// checkToolList checks tools/list against EXPECTED and returns name -> {tool, validate}.
// credParams: 'required' (per-call mode), 'absent' (server credentials), 'optional' (per-request
// headers: the server may still list apiKey/domain, but must not require them).
function checkToolList(tag, tools, credParams) {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const names = tools.map((t) => t.name).sort();
  check(`${tag} tools/list: exactly the ${TOOL_NAMES.length} tools: the seed's names and CONTRACT.md's additions`,
    tools.length === TOOL_NAMES.length && isDeepStrictEqual(names, [...TOOL_NAMES].sort()),
    `got ${tools.length}: ${names.join(',')}`);
  const validators = new Map();
  for (const name of TOOL_NAMES) {
    const tool = byName.get(name);
    if (!tool) {
      check(`${tag} ${name}: listed`, false, 'missing');
      continue;
    }
    const exp = EXPECTED[name];
    const problems = [];
    // input schema
    const input = tool.inputSchema ?? {};
    const props = input.properties ?? {};
    const required = new Set(input.required ?? []);
    if (input.type !== 'object') problems.push(`inputSchema.type=${input.type}`);
    const want = { ...exp.params };
    if (credParams === 'required') {
      want.apiKey = ['string', true];
      want.domain = ['string', true];
    } else if (credParams === 'absent') {
      for (const p of ['apiKey', 'domain']) if (p in props) problems.push(`${p} must not be in the schema with server credentials`);
    }
    for (const [p, [type, req]] of Object.entries(want)) {
      if (!(p in props)) { problems.push(`param ${p} missing`); continue; }
      if (!typeMatches(type, props[p].type)) problems.push(`param ${p} type ${short(props[p].type)} != ${type}`);
      if (required.has(p) !== req) problems.push(`param ${p} required=${required.has(p)} want ${req}`);
    }
    for (const p of Object.keys(props)) {
      if (!(p in want) && required.has(p)) problems.push(`extra param ${p} must not be required`);
    }
    for (const p of required) if (!(p in props)) problems.push(`required ${p} not in properties`);
    check(`${tag} ${name}: input schema (params, types, required)`, problems.length === 0, problems.join('; '));

    // annotations
    const ann = tool.annotations ?? {};
    const annProblems = ANNOTATIONS.filter((a) => ann[a] === undefined).map((a) => `${a} missing`);
    if (typeof ann.title === 'string' && ann.title.trim() === '') annProblems.push('empty title');
    if (ann.readOnlyHint !== undefined && ann.readOnlyHint !== Boolean(exp.readOnly)) annProblems.push(`readOnlyHint=${ann.readOnlyHint}`);
    if (exp.destructive && ann.destructiveHint !== true) annProblems.push(`destructiveHint=${ann.destructiveHint}`);
    if (!tool.description) annProblems.push('no description');
    check(`${tag} ${name}: annotations (title, readOnly/destructive/idempotent/openWorld hints)`, annProblems.length === 0,
      `${annProblems.join('; ')} in ${short(ann)}`);

    // output schema
    const out = tool.outputSchema;
    const outProblems = [];
    if (!out || out.type !== 'object') {
      outProblems.push(`outputSchema ${short(out)}`);
    } else {
      const oprops = out.properties ?? {};
      for (const f of exp.output) if (!(f in oprops)) outProblems.push(`field ${f} missing`);
      if (exp.list) {
        const itemProps = oprops[exp.list]?.items?.properties ?? {};
        for (const f of exp.items) if (!(f in itemProps)) outProblems.push(`${exp.list}[].${f} missing`);
      }
      try {
        validators.set(name, compilerFor(out).compile(out));
      } catch (e) {
        outProblems.push(`does not compile: ${errText(e)}`);
      }
    }
    check(`${tag} ${name}: outputSchema with the seed's output fields`, outProblems.length === 0, outProblems.join('; '));
  }
  return validators;
}

// ---------------------------------------------------------------------------------------------
// Calling tools

function textOf(result) {
  return (result?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

// makeCaller returns call(label, tool, args, {error}) bound to one connection.
function makeCaller(tag, conn, validators, creds) {
  return async function call(label, tool, args, { error = false, raw = false } = {}) {
    const name = `${tag} ${tool} ${label}`;
    const fullArgs = raw ? args : { ...creds, ...args };
    let result;
    try {
      result = await conn.client.callTool({ name: tool, arguments: fullArgs }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    } catch (e) {
      check(name, false, `threw ${errText(e)}`);
      return { ok: false, result: undefined, sc: undefined, text: '', threw: e };
    }
    const text = textOf(result);
    if (error) {
      return { ok: result.isError === true, result, sc: result.structuredContent, text };
    }
    const problems = [];
    if (result.isError) problems.push(`isError: ${short(text)}`);
    const sc = result.structuredContent;
    if (!sc || typeof sc !== 'object') {
      problems.push('no structuredContent');
    } else {
      if (sc.success !== true) problems.push(`success=${sc.success}`);
      const validate = validators.get(tool);
      if (!validate) problems.push('no compiled outputSchema');
      else if (!validate(sc)) problems.push(`outputSchema: ${short(validate.errors, 500)}`);
      let parsed;
      try { parsed = JSON.parse(text); } catch (e) { problems.push(`text is not JSON: ${short(text, 120)}`); }
      if (parsed !== undefined && !isDeepStrictEqual(parsed, sc)) problems.push(`text JSON differs from structuredContent: ${short(text, 200)}`);
    }
    const ok = check(name, problems.length === 0, problems.join('; '));
    if (ok) called.set(tool, (called.get(tool) ?? 0) + 1);
    return { ok, result, sc: sc ?? {}, text };
  };
}

// ---------------------------------------------------------------------------------------------
// The flows

async function flows(tag, call, combo, env) {
  const suffix = `${RUN_ID}-${combo}`;
  const loginA = `e2e.a.${suffix}@example.com`;
  const loginB = `e2e.b.${suffix}@example.com`;
  const password = `Pw!${randomBytes(6).toString('hex')}Xy9`;

  // --- reads on the existing org
  let r = await call('(limit 5)', 'okta_list_users', { limit: 5 });
  check(`${tag} list_users: count matches users and the limit`,
    Array.isArray(r.sc.users) && r.sc.count === r.sc.users.length && r.sc.users.length <= 5 && r.sc.users.length > 0,
    short(r.sc));
  r = await call('(filter status eq "ACTIVE")', 'okta_list_users', { filter: 'status eq "ACTIVE"', limit: 200 });
  check(`${tag} list_users filter: every user ACTIVE`,
    Array.isArray(r.sc.users) && r.sc.users.every((u) => u.status === 'ACTIVE'), short(r.sc.users?.map((u) => u.status)));
  r = await call('(limit 3)', 'okta_list_groups', { limit: 3 });
  check(`${tag} list_groups: count matches groups and the limit`,
    Array.isArray(r.sc.groups) && r.sc.count === r.sc.groups.length && r.sc.groups.length <= 3 && r.sc.groups.length > 0,
    short(r.sc));

  // --- onboarding: create STAGED, update, activate, group, members
  r = await call('onboard (activate:false)', 'okta_create_user', {
    firstName: 'Ada', lastName: `Lovelace${combo}`, email: loginA, login: loginA, password,
    mobilePhone: '+1-555-0100', title: 'Engineer', department: 'R&D', activate: false,
  });
  const userA = r.sc.id;
  check(`${tag} create_user: STAGED with the given profile`,
    typeof userA === 'string' && userA.length > 0 && r.sc.status === 'STAGED' && r.sc.login === loginA &&
    r.sc.email === loginA && r.sc.firstName === 'Ada', short(r.sc));
  if (!userA) throw new Error('create_user returned no id; cannot continue the flow');

  r = await call('by id', 'okta_get_user', { userId: userA });
  check(`${tag} get_user by id: same user, title and department kept`,
    r.sc.id === userA && r.sc.login === loginA && r.sc.title === 'Engineer' && r.sc.department === 'R&D' &&
    r.sc.mobilePhone === '+1-555-0100', short(r.sc));
  r = await call('by login', 'okta_get_user', { userId: loginA });
  check(`${tag} get_user by login: same user`, r.sc.id === userA, short(r.sc));

  r = await call('(title, department)', 'okta_update_user', { userId: userA, title: 'Principal Engineer', department: 'Platform' });
  check(`${tag} update_user: partial update applied, rest kept`,
    r.sc.id === userA && r.sc.login === loginA && r.sc.firstName === 'Ada', short(r.sc));
  r = await call('after update', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after update: new title/department, old names`,
    r.sc.title === 'Principal Engineer' && r.sc.department === 'Platform' && r.sc.firstName === 'Ada' &&
    r.sc.lastName === `Lovelace${combo}`, short(r.sc));

  r = await call('(sendEmail:false)', 'okta_activate_user', { userId: userA, sendEmail: false });
  check(`${tag} activate_user: activated, activation URL/token returned without email`,
    r.sc.userId === userA && r.sc.activated === true &&
    typeof r.sc.activationUrl === 'string' && r.sc.activationUrl.length > 0 &&
    typeof r.sc.activationToken === 'string' && r.sc.activationToken.length > 0, short(r.sc));
  r = await call('after activate', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after activate: ACTIVE, activated timestamp set`,
    r.sc.status === 'ACTIVE' && typeof r.sc.activated === 'string' && r.sc.activated.length > 0, short(r.sc));

  const groupName = `e2e-${suffix}-team`;
  r = await call('onboard team', 'okta_create_group', { name: groupName, description: 'e2e onboarding team' });
  const groupA = r.sc.id;
  check(`${tag} create_group: OKTA_GROUP with name and description`,
    typeof groupA === 'string' && r.sc.name === groupName && r.sc.description === 'e2e onboarding team' &&
    r.sc.type === 'OKTA_GROUP', short(r.sc));
  if (!groupA) throw new Error('create_group returned no id; cannot continue the flow');

  r = await call('onboard', 'okta_add_user_to_group', { groupId: groupA, userId: userA });
  check(`${tag} add_user_to_group: added`, r.sc.added === true && r.sc.groupId === groupA && r.sc.userId === userA, short(r.sc));
  r = await call('after add', 'okta_list_group_members', { groupId: groupA });
  check(`${tag} list_group_members: exactly the new member`,
    r.sc.count === 1 && r.sc.members?.length === 1 && r.sc.members[0].id === userA && r.sc.members[0].login === loginA,
    short(r.sc));

  r = await call('(search by login)', 'okta_list_users', { search: `profile.login eq "${loginA}"` });
  check(`${tag} list_users search: finds exactly the new user`,
    r.sc.count === 1 && r.sc.users?.[0]?.id === userA, short(r.sc));

  // --- offboarding user A: suspend, unsuspend, reset password, remove from group, delete twice
  r = await call('offboard', 'okta_suspend_user', { userId: userA });
  check(`${tag} suspend_user: suspended`, r.sc.suspended === true && r.sc.userId === userA, short(r.sc));
  r = await call('after suspend', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after suspend: SUSPENDED`, r.sc.status === 'SUSPENDED', short(r.sc));
  r = await call('offboard', 'okta_unsuspend_user', { userId: userA });
  check(`${tag} unsuspend_user: unsuspended`, r.sc.unsuspended === true && r.sc.userId === userA, short(r.sc));
  r = await call('after unsuspend', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after unsuspend: ACTIVE`, r.sc.status === 'ACTIVE', short(r.sc));
  r = await call('(sendEmail:false)', 'okta_reset_password', { userId: userA, sendEmail: false });
  check(`${tag} reset_password: reset URL returned without email`,
    r.sc.userId === userA && typeof r.sc.resetPasswordUrl === 'string' && r.sc.resetPasswordUrl.length > 0, short(r.sc));
  r = await call('after reset', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after reset_password: RECOVERY`, r.sc.status === 'RECOVERY', short(r.sc));
  r = await call('offboard', 'okta_remove_user_from_group', { groupId: groupA, userId: userA });
  check(`${tag} remove_user_from_group: removed`, r.sc.removed === true && r.sc.groupId === groupA && r.sc.userId === userA, short(r.sc));
  r = await call('after remove', 'okta_list_group_members', { groupId: groupA, limit: 10 });
  check(`${tag} list_group_members after remove: empty`, r.sc.count === 0 && r.sc.members?.length === 0, short(r.sc));
  r = await call('first (deactivates)', 'okta_delete_user', { userId: userA });
  check(`${tag} delete_user first call: deleted=false (deactivated)`, r.sc.deleted === false && r.sc.userId === userA, short(r.sc));
  r = await call('after first delete', 'okta_get_user', { userId: userA });
  check(`${tag} get_user after first delete: DEPROVISIONED`, r.sc.status === 'DEPROVISIONED', short(r.sc));
  r = await call('second (deletes)', 'okta_delete_user', { userId: userA });
  check(`${tag} delete_user second call: deleted=true`, r.sc.deleted === true && r.sc.userId === userA, short(r.sc));
  r = await call('after delete (not found)', 'okta_get_user', { userId: userA }, { error: true });
  check(`${tag} get_user after delete: isError saying not found`, r.ok && /not found|not exist|E0000007/i.test(r.text), short(r.text));

  // --- user B: created active by default, deactivated, deleted in one call
  r = await call('(activate default)', 'okta_create_user', { firstName: 'Grace', lastName: `Hopper${combo}`, email: loginB, password });
  const userB = r.sc.id;
  check(`${tag} create_user default: login defaults to email, ACTIVE`,
    typeof userB === 'string' && r.sc.login === loginB && r.sc.status === 'ACTIVE', short(r.sc));
  if (userB) {
    r = await call('offboard', 'okta_deactivate_user', { userId: userB });
    check(`${tag} deactivate_user: deactivated`, r.sc.deactivated === true && r.sc.userId === userB, short(r.sc));
    r = await call('after deactivate', 'okta_get_user', { userId: loginB });
    check(`${tag} get_user after deactivate: DEPROVISIONED`, r.sc.status === 'DEPROVISIONED', short(r.sc));
    r = await call('deprovisioned user', 'okta_delete_user', { userId: userB });
    check(`${tag} delete_user on DEPROVISIONED: deleted=true at once`, r.sc.deleted === true, short(r.sc));
  }

  // --- groups: create, update (full replacement), list with search, get, delete
  const g2 = `e2e-${suffix}-dept`;
  r = await call('dept', 'okta_create_group', { name: g2, description: 'before' });
  const groupB = r.sc.id;
  if (groupB) {
    r = await call('rename', 'okta_update_group', { groupId: groupB, name: `${g2}-renamed`, description: 'after' });
    check(`${tag} update_group: new name and description`,
      r.sc.id === groupB && r.sc.name === `${g2}-renamed` && r.sc.description === 'after', short(r.sc));
    r = await call('(search name sw)', 'okta_list_groups', { search: `profile.name sw "e2e-${suffix}-"` });
    const ids = (r.sc.groups ?? []).map((g) => g.id).sort();
    check(`${tag} list_groups search: finds exactly this run's two groups`,
      r.sc.count === 2 && isDeepStrictEqual(ids, [groupA, groupB].sort()), short(r.sc));
    r = await call('after update', 'okta_get_group', { groupId: groupB });
    check(`${tag} get_group: renamed group`, r.sc.id === groupB && r.sc.name === `${g2}-renamed` && r.sc.type === 'OKTA_GROUP', short(r.sc));
    r = await call('dept', 'okta_delete_group', { groupId: groupB });
    check(`${tag} delete_group: deleted`, r.sc.deleted === true && r.sc.groupId === groupB, short(r.sc));
    r = await call('after delete (not found)', 'okta_get_group', { groupId: groupB }, { error: true });
    check(`${tag} get_group after delete: isError saying not found`, r.ok && /not found|not exist|E0000007/i.test(r.text), short(r.text));
  }
  r = await call('team', 'okta_delete_group', { groupId: groupA });
  check(`${tag} delete_group team: deleted`, r.sc.deleted === true, short(r.sc));

  // --- bad arguments: each is an isError result naming the problem, and the server keeps serving
  const bad = [
    ['missing required userId', 'okta_get_user', {}, /userId/],
    ['wrong type for limit', 'okta_list_users', { limit: 'ten' }, /limit/],
    ['limit above the maximum', 'okta_list_users', { limit: 201 }, /limit/],
    ['negative limit', 'okta_list_users', { limit: -1 }, /limit/],
    ['members limit above the maximum', 'okta_list_group_members', { groupId: '00g_any', limit: 1001 }, /limit/],
    ['bad email', 'okta_create_user', { firstName: 'Bad', lastName: 'Email', email: 'not-an-email' }, /email/i],
    ['missing required lastName', 'okta_create_user', { firstName: 'No', email: `e2e.c.${suffix}@example.com` }, /lastName/],
    ['bad email on update', 'okta_update_user', { userId: loginB, email: 'still not an email' }, /email/i],
    ['wrong type for groupId', 'okta_add_user_to_group', { groupId: 123, userId: 'x' }, /groupId/],
    ['missing required name', 'okta_create_group', { description: 'x' }, /name/],
    ['unknown user id', 'okta_get_user', { userId: `00udoesnotexist${RUN_ID}` }, /not found|not exist|E0000007/i],
    ['user id that would change the URL path', 'okta_get_user', { userId: '../groups' }, /userId|invalid|not found/i],
    ['unknown group id', 'okta_list_group_members', { groupId: `00gdoesnotexist${RUN_ID}` }, /not found|not exist|E0000007/i],
  ];
  if (env.perCall) {
    bad.push(['missing apiKey', 'okta_list_users', { apiKey: undefined }, /apiKey/]);
    bad.push(['missing domain', 'okta_list_users', { domain: undefined }, /domain/]);
    bad.push(['wrong API token', 'okta_list_users', { apiKey: 'wrong-token' }, /token|401|auth|E0000011/i]);
    bad.push(['non-http(s) domain', 'okta_list_users', { domain: env.sandbox.base.replace('http:', 'ftp:') }, /domain|scheme|url/i]);
  } else if (env.mode === 'server') {
    bad.push(['apiKey/domain sent with server credentials', 'okta_list_users', { apiKey: 'x', domain: 'example.okta.com' }, /apiKey|domain/]);
  }
  for (const [label, tool, args, re] of bad) {
    const full = { ...(env.perCall ? env.creds : {}), ...args };
    for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
    const res = await call(`bad args: ${label}`, tool, full, { error: true, raw: true });
    if (res.threw) continue; // already reported (a protocol error instead of an isError result)
    check(`${tag} bad args (${label}): isError naming the problem`, res.ok && re.test(res.text),
      `isError=${res.result?.isError} text=${short(res.text)}`, short(res.text, 160));
    const follow = await call(`follow-up after "${label}"`, 'okta_list_users', { limit: 1 });
    if (!follow.ok) break; // the server stopped serving: no point in more
  }

  // unknown tool: a protocol error (-32602), and the session still works
  try {
    const res = await call_raw(tag, 'okta_no_such_tool', {});
    check(`${tag} unknown tool: protocol error or isError`, res.isError === true, short(res), `isError: ${short(textOf(res), 120)}`);
  } catch (e) {
    check(`${tag} unknown tool: protocol error or isError`, e instanceof McpError, errText(e), `protocol error ${e.code}: ${short(e.message, 120)}`);
  }
  await call('follow-up after unknown tool', 'okta_list_users', { limit: 1 });

  async function call_raw(_tag, tool, args) {
    return env.conn.client.callTool({ name: tool, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
  }
}

// adminDay drives the tools of issue 11 (a user's groups, unlock, password expiry, factors, sessions,
// the System Log, the whole offboarding) on a user of its own, so that combinations sharing an org
// (the per-call and header modes share one sandbox) do not depend on each other.
async function adminDay(tag, call, combo) {
  const suffix = `${RUN_ID}-${combo}`;
  const login = `e2e.day.${suffix}@example.com`;
  let r = await call('(leaver)', 'okta_create_user', { firstName: 'Day', lastName: `Leaver${combo}`, email: login,
    password: `Pw!${randomBytes(6).toString('hex')}Xy9` });
  const user = r.sc.id;
  r = await call('(team)', 'okta_create_group', { name: `e2e-${suffix}-day`, description: 'admin-day e2e' });
  const group = r.sc.id;
  if (!user || !group) return;
  await call('(team)', 'okta_add_user_to_group', { groupId: group, userId: user });
  r = await call('(limit 1)', 'okta_list_user_groups', { userId: login, limit: 1 });
  check(`${tag} list_user_groups: one per page with a cursor`, r.sc.count === 1 && typeof r.sc.nextCursor === 'string', short(r.sc));
  r = await call('(after)', 'okta_list_user_groups', { userId: login, after: r.sc.nextCursor });
  check(`${tag} list_user_groups: Everyone and the team over two pages`, r.sc.count === 1 && r.sc.nextCursor === null, short(r.sc));

  // Helpdesk: a demo user locked out (the first combination on an org unlocks her; later ones see
  // E0000032), then never a second unlock.
  r = await call('(locked-out demo user)', 'okta_unlock_user', { userId: 'katherine.johnson@example.com' }, { error: true });
  if (!r.ok) {
    check(`${tag} unlock_user: unlocked`, r.sc?.unlocked === true && r.sc?.status === 'ACTIVE', short(r.sc));
    called.set('okta_unlock_user', (called.get('okta_unlock_user') ?? 0) + 1);
  }
  r = await call('(not locked out)', 'okta_unlock_user', { userId: login });
  check(`${tag} unlock_user on an ACTIVE user: a no-op reported as such`, r.sc?.changed === false && r.sc?.unlocked === true, short(r.sc));

  r = await call('(demo user)', 'okta_list_user_factors', { userId: 'ada.lovelace@example.com' });
  const sms = (r.sc.factors ?? []).find((f) => f.factorType === 'sms');
  check(`${tag} list_user_factors: several factors, phone masked`, r.sc.count >= 2 && sms?.profile?.phoneNumber === '+****0100', short(r.sc));
  r = await call('(new user: none)', 'okta_list_user_factors', { userId: user });
  check(`${tag} list_user_factors: none enrolled`, r.sc.count === 0, short(r.sc));
  r = await call('(lost phone)', 'okta_reset_user_factors', { userId: user });
  check(`${tag} reset_user_factors: reset`, r.sc.reset === true && r.sc.removed === 0, short(r.sc));

  r = await call('(at next sign-in)', 'okta_expire_password', { userId: login });
  check(`${tag} expire_password: PASSWORD_EXPIRED, no temporary password`, r.sc.status === 'PASSWORD_EXPIRED' && r.sc.tempPassword === null, short(r.sc));
  r = await call('(tempPassword)', 'okta_expire_password', { userId: user, tempPassword: true });
  check(`${tag} expire_password tempPassword: returned once`, typeof r.sc.tempPassword === 'string' && r.sc.tempPassword.length >= 8, short(r.sc));

  r = await call('(incident)', 'okta_clear_user_sessions', { userId: user, oauthTokens: true });
  check(`${tag} clear_user_sessions: sessions and tokens`, r.sc.sessionsCleared === true && r.sc.oauthTokensRevoked === true, short(r.sc));

  r = await call('(what happened to the user)', 'okta_get_system_log',
    { since: '15m', filter: `target.id eq "${user}"`, sortOrder: 'ASCENDING', limit: 100 });
  const types = (r.sc.events ?? []).map((e) => e.eventType);
  const want = ['user.lifecycle.create', 'user.lifecycle.activate', 'group.user_membership.add', 'user.mfa.factor.reset_all',
    'user.account.expire_password', 'user.account.expire_password', 'user.session.clear', 'app.oauth2.token.revoke.implicit.user'];
  check(`${tag} get_system_log: every write on the user, in order, with request ids`,
    isDeepStrictEqual(types, want) && r.sc.events.every((e) => typeof e.transactionId === 'string' && e.actor?.id), short(types));
  r = await call('(history: lockouts this week)', 'okta_get_system_log', { since: '7d', filter: 'eventType eq "user.account.lock"' });
  check(`${tag} get_system_log: the demo history has its lockouts`, r.sc.count >= 2 && r.sc.events.every((e) => e.client?.country), short(r.sc));
  r = await call('(bad filter)', 'okta_get_system_log', { filter: 'eventType eqq "x"' }, { error: true });
  check(`${tag} get_system_log bad filter: isError E0000053`, r.ok && /E0000053/.test(r.text), short(r.text));

  // The whole offboarding: the plan, then exactly that plan.
  r = await call('(dry run)', 'okta_offboard_user', { userId: login, deactivate: true });
  const plan = r.sc;
  check(`${tag} offboard_user dry run: deactivate, sessions, the team`,
    plan.dryRun === true && isDeepStrictEqual((plan.steps ?? []).map((st) => `${st.action}:${st.outcome}`),
      ['deactivate:planned', 'clear_sessions:planned', 'remove_from_group:planned']), short(plan));
  r = await call('(run the plan)', 'okta_offboard_user', { userId: login, deactivate: true, dryRun: false, planId: plan.planId });
  check(`${tag} offboard_user: every step done`, r.sc.completed === true && (r.sc.steps ?? []).every((st) => st.outcome === 'done'), short(r.sc));
  r = await call('after offboarding', 'okta_get_user', { userId: user });
  check(`${tag} get_user after offboarding: DEPROVISIONED`, r.sc.status === 'DEPROVISIONED', short(r.sc));
  r = await call('after offboarding', 'okta_list_user_groups', { userId: user });
  check(`${tag} list_user_groups after offboarding: only Everyone`, r.sc.count === 1, short(r.sc));
  await call('(cleanup)', 'okta_delete_user', { userId: user });
  await call('(cleanup)', 'okta_delete_group', { groupId: group });
}

// runCombo: one transport x credential mode; full tools/list checks and flows.
async function runCombo(kind, env) {
  const tag = `[${kind}/${env.mode}]`;
  const combo = `${kind}${env.mode[0]}`;
  let conn;
  try {
    // Legacy SSE clients speak 2024-11-05; streamable HTTP clients 2025-06-18 or the latest.
    const version = kind === 'sse' ? '2024-11-05' : kind === 'http' && env.perCall ? '2025-06-18' : LATEST_PROTOCOL_VERSION;
    conn = await connect(kind, env, version);
    check(`${tag} initialize: offered and negotiated ${version}`, conn.info.negotiated === version, `got ${conn.info.negotiated}`);
    const caps = conn.client.getServerCapabilities() ?? {};
    check(`${tag} initialize: server offers tools`, caps.tools !== undefined, short(caps));
    const sv = conn.client.getServerVersion();
    check(`${tag} initialize: serverInfo has name and version`, Boolean(sv?.name && sv?.version), short(sv));
    if (caps.logging) {
      try {
        await conn.client.setLoggingLevel('info', { timeout: REQUEST_TIMEOUT_MS });
        check(`${tag} logging/setLevel info`, true);
      } catch (e) {
        check(`${tag} logging/setLevel info`, false, errText(e));
      }
    }
    try {
      await conn.client.ping({ timeout: REQUEST_TIMEOUT_MS });
      check(`${tag} ping`, true);
    } catch (e) {
      check(`${tag} ping`, false, errText(e));
    }
    const { tools } = await conn.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
    const validators = checkToolList(tag, tools, env.perCall ? 'required' : env.headers ? 'optional' : 'absent');
    await checkPrompts(tag, conn, env);
    const call = makeCaller(tag, conn, validators, env.perCall ? env.creds : {});
    await flows(tag, call, combo, { ...env, conn });
    await adminDay(tag, call, combo);
    check(`${tag} the SDK reported no transport or protocol errors`, conn.errors.length === 0, conn.errors.slice(0, 3).join(' | '));
  } catch (e) {
    check(`${tag} combination ran to the end`, false, errText(e) + (conn?.stderrLog?.length ? `\nserver stderr:\n${conn.stderrLog.join('').slice(-1500)}` : ''));
  } finally {
    await closeQuietly(conn);
  }
}

// checkPrompts: the three workflow prompts (issue 11) through the SDK: prompts/list, prompts/get
// and completion/complete, whose values come from the org when the server can ask it (its own
// credentials, or the X-Okta-* headers of the connection); per-call credentials travel in tool
// arguments only, so there completion offers nothing (and is not an error).
async function checkPrompts(tag, conn, env) {
  const opts = { timeout: REQUEST_TIMEOUT_MS };
  try {
    const caps = conn.client.getServerCapabilities() ?? {};
    check(`${tag} initialize: server offers prompts and completions`, caps.prompts !== undefined && caps.completions !== undefined, short(caps));
    const { prompts } = await conn.client.listPrompts(undefined, opts);
    const names = prompts.map((p) => p.name).sort();
    check(`${tag} prompts/list: onboarding, offboarding, incident-response`,
      isDeepStrictEqual(names, ['incident-response', 'offboarding', 'onboarding']), names.join(','));
    const off = await conn.client.getPrompt({ name: 'offboarding', arguments: { user: 'ada.lovelace@example.com' } }, opts);
    const text = off.messages?.[0]?.content?.text ?? '';
    check(`${tag} prompts/get offboarding: a user message naming the leaver, plan before any change`,
      off.messages?.[0]?.role === 'user' && text.includes('ada.lovelace@example.com') && text.indexOf('plan') >= 0 &&
      text.indexOf('plan') < text.indexOf('Only after I approve'), short(text.slice(0, 300)));
    const inc = await conn.client.getPrompt({ name: 'incident-response', arguments: { user: 'ada.lovelace@example.com', containment: 'clear_sessions' } }, opts);
    const itext = inc.messages?.[0]?.content?.text ?? '';
    check(`${tag} prompts/get incident-response: contain, then the System Log`,
      itext.includes('okta_clear_user_sessions') && itext.indexOf('Contain') < itext.indexOf('okta_get_system_log'), short(itext.slice(0, 300)));
    let bad = null;
    try {
      await conn.client.getPrompt({ name: 'onboarding', arguments: { firstName: 'A' } }, opts);
    } catch (e) {
      bad = errText(e);
    }
    check(`${tag} prompts/get with a missing argument: an error naming it`, bad !== null && /lastName|email/.test(bad), bad ?? 'no error');
    const c = await conn.client.complete({ ref: { type: 'ref/prompt', name: 'offboarding' }, argument: { name: 'user', value: 'ada' } }, opts);
    const values = c.completion?.values ?? [];
    if (env.perCall && !env.headers) {
      check(`${tag} completion/complete user (per-call credentials): no values, no error`, values.length === 0, short(values));
    } else {
      check(`${tag} completion/complete user "ada": logins from the org`, values.includes('ada.lovelace@example.com') &&
        values.every((v) => v.startsWith('ada')), short(values));
    }
    const s = await conn.client.complete({ ref: { type: 'ref/prompt', name: 'incident-response' }, argument: { name: 'containment', value: 'su' } }, opts);
    check(`${tag} completion/complete containment "su"`, isDeepStrictEqual(s.completion?.values, ['suspend']), short(s.completion));
  } catch (e) {
    check(`${tag} prompts and completions`, false, errText(e));
  }
}

// checkFailClosed: without --allow-unconfirmed, a client that cannot ask its human (this one declares
// no elicitation) gets sensitive tools refused, and nothing changes.
async function checkFailClosed() {
  const tag = '[stdio/default]';
  let conn;
  try {
    conn = await connect('stdio', { stdioArgs: ['--sandbox'] }, LATEST_PROTOCOL_VERSION);
    const user = 'ada.lovelace@example.com';
    const res = await conn.client.callTool({ name: 'okta_deactivate_user', arguments: { userId: user } }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    check(`${tag} okta_deactivate_user refused for a client without elicitation`,
      res.isError === true && /cannot ask for one/.test(textOf(res)) && /Nothing was changed/.test(textOf(res)), short(textOf(res)));
    const del = await conn.client.callTool({ name: 'okta_delete_user', arguments: { userId: user } }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    check(`${tag} okta_delete_user refused for a client without elicitation`, del.isError === true, short(textOf(del)));
    const after = await conn.client.callTool({ name: 'okta_get_user', arguments: { userId: user } }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    check(`${tag} the user is still ACTIVE`, after.structuredContent?.status === 'ACTIVE', short(after.structuredContent));
  } catch (e) {
    check(`${tag} fail-closed check ran`, false, errText(e));
  } finally {
    await closeQuietly(conn);
  }
}

// checkConfirmedOffboarding: a client that can ask its human (it declares elicitation; the "human"
// here accepts) offboards a leaver on a server with the default fail-closed confirmation: the dry run
// asks nothing, the run asks once with the exact plan, and every step is done.
async function checkConfirmedOffboarding(kind, env) {
  const tag = `[${kind}/confirmed]`;
  const asked = [];
  let conn;
  try {
    conn = await connect(kind, env, LATEST_PROTOCOL_VERSION, {
      onElicit: async (params) => { asked.push(params.message); return { action: 'accept', content: { confirm: true } }; },
    });
    const call = (args) => conn.client.callTool({ name: 'okta_offboard_user', arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    const user = 'barbara.liskov@example.com';
    const dry = await call({ userId: user });
    const plan = dry.structuredContent ?? {};
    check(`${tag} offboard_user dry run: a plan, no question`, !dry.isError && plan.dryRun === true && asked.length === 0, short(plan));
    const run = await call({ userId: user, dryRun: false, planId: plan.planId });
    const out = run.structuredContent ?? {};
    check(`${tag} offboard_user: confirmed once, every step done`,
      !run.isError && out.completed === true && asked.length === 1 && (out.steps ?? []).every((st) => st.outcome === 'done'),
      `${short(textOf(run))} asked=${asked.length}`);
    const q = asked[0] ?? '';
    check(`${tag} offboard_user: the human saw the exact plan`,
      (plan.steps ?? []).length > 0 && plan.steps.every((st) => q.includes(`${st.step}. `)) && /Engineering/.test(q), short(q, 400));
    const reset = await conn.client.callTool({ name: 'okta_reset_user_factors', arguments: { userId: 'alan.turing@example.com' } },
      undefined, { timeout: REQUEST_TIMEOUT_MS });
    check(`${tag} reset_user_factors: confirmed, the question lists the factors`,
      !reset.isError && reset.structuredContent?.reset === true && asked.length === 2 && /factors: /.test(asked[1] ?? ''), short(textOf(reset)));
  } catch (e) {
    check(`${tag} confirmed offboarding ran`, false, errText(e));
  } finally {
    await closeQuietly(conn);
  }
}

// probeVersions: every protocol version the SDK offers, on one transport.
async function probeVersions(kind, env) {
  for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
    const tag = `[${kind}/${env.mode}] protocol ${version}`;
    let conn;
    try {
      conn = await withTimeout(connect(kind, env, version), PHASE_TIMEOUT_MS, tag);
      const neg = conn.info.negotiated;
      // 2024-10-07 predates the versions servers are expected to know: the server may answer with
      // its own version, which must then be one the client supports (the SDK accepted it).
      const want = version === '2024-10-07' ? SUPPORTED_PROTOCOL_VERSIONS.includes(neg) : neg === version;
      check(`${tag}: negotiated ${version === '2024-10-07' ? 'a version the SDK supports' : version}`, want, `got ${neg}`,
        version === '2024-10-07' ? `server answered ${neg}` : '');
      if (kind !== 'stdio') {
        check(`${tag}: transport uses the negotiated version`, conn.transport._protocolVersion === neg || conn.transport.protocolVersion === neg,
          `transport has ${conn.transport._protocolVersion ?? conn.transport.protocolVersion}`);
      }
      const { tools } = await conn.client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
      check(`${tag}: tools/list works (${TOOL_NAMES.length} tools)`, tools.length === TOOL_NAMES.length, `got ${tools.length}`);
      const res = await conn.client.callTool({ name: 'okta_list_users', arguments: { ...(env.perCall ? env.creds : {}), limit: 1 } },
        undefined, { timeout: REQUEST_TIMEOUT_MS });
      check(`${tag}: tools/call works`, !res.isError && res.structuredContent?.success === true, short(res));
    } catch (e) {
      check(`${tag}: session works`, false, errText(e));
    } finally {
      await closeQuietly(conn);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const started = Date.now();
  console.log(`# okta-mcp e2e with @modelcontextprotocol/sdk client; run ${RUN_ID}; binary ${BIN}; node ${process.version}`);
  const need = (k) => ONLY.includes(k);

  // Per-call mode needs an Okta API to talk to: the sandbox served over plain HTTP on loopback.
  const sandbox = await startServer('okta-mcp sandbox', BIN,
    (p) => ['sandbox', '--listen', `127.0.0.1:${p}`, '--token', SANDBOX_TOKEN], '/api/v1/users?limit=1', { okOnly: false });
  // The sandbox must check the token.
  {
    const res = await fetch(`${sandbox.base}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${SANDBOX_TOKEN}` }, signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    const bad = await fetch(`${sandbox.base}/api/v1/users?limit=1`, { headers: { Authorization: 'SSWS nope' }, signal: AbortSignal.timeout(5000) });
    await bad.arrayBuffer();
    check('[sandbox] API answers 200 with the token and 401 without it', res.status === 200 && bad.status === 401, `${res.status}/${bad.status}`);
  }

  // Every tool (--toolsets all): the default configuration leaves some out (issue 11). This client
  // declares no elicitation, so the servers that run the flows (which delete, deactivate and reset)
  // are started with --allow-unconfirmed; checkFailClosed checks the default refuses.
  const all = ['--toolsets', 'all', '--allow-unconfirmed'];
  const modes = [
    { mode: 'server', perCall: false, stdioArgs: ['--sandbox', ...all], serverArgs: ['--sandbox', ...all], creds: {} },
    { mode: 'per-call', perCall: true, stdioArgs: ['--allow-http', ...all], serverArgs: ['--allow-http', ...all],
      creds: { apiKey: SANDBOX_TOKEN, domain: sandbox.base } },
  ];
  for (const env of modes) {
    env.sandbox = sandbox;
    env.kinds = ['stdio', 'sse', 'http'];
    if (need('sse')) {
      env.sse = await startServer(`okta-mcp sse ${env.mode}`, BIN,
        (p) => [...env.serverArgs, '--transport', 'sse', '--listen', `127.0.0.1:${p}`], '/healthz');
    }
    if (need('http')) {
      env.http = await startServer(`okta-mcp http ${env.mode}`, BIN,
        (p) => [...env.serverArgs, '--transport', 'http', '--listen', `127.0.0.1:${p}`], '/healthz');
    }
  }

  // Per-HTTP-request credentials (X-Okta-Org-URL / X-Okta-API-Token headers) on the per-call servers:
  // the schemas then carry no apiKey/domain, as with server credentials.
  const headerMode = { mode: 'headers', perCall: false, sandbox, sse: modes[1].sse, http: modes[1].http, creds: {},
    headers: { 'X-Okta-Org-URL': sandbox.base, 'X-Okta-API-Token': SANDBOX_TOKEN }, kinds: ['sse', 'http'] };
  console.log(`# servers ready: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const env of [...modes, headerMode]) {
    for (const kind of env.kinds) {
      if (!need(kind)) continue;
      const t0 = Date.now();
      try {
        await withTimeout(runCombo(kind, env), PHASE_TIMEOUT_MS, `${kind}/${env.mode}`);
        console.log(`# ${kind}/${env.mode}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        check(`[${kind}/${env.mode}] finished in time`, false, errText(e));
      }
    }
  }
  if (need('stdio')) await checkFailClosed();
  // okta_offboard_user and okta_reset_user_factors are not in the default toolsets (issue 11).
  if (need('stdio')) await checkConfirmedOffboarding('stdio', { stdioArgs: ['--sandbox', '--toolsets', 'all'] });
  if (need('http')) {
    const strict = await startServer('okta-mcp http (fail-closed)', BIN,
      (p) => ['--sandbox', '--toolsets', 'all', '--transport', 'http', '--listen', `127.0.0.1:${p}`], '/healthz');
    await checkConfirmedOffboarding('http', { http: strict });
    await stopChild(strict.child);
  }
  const t1 = Date.now();
  for (const kind of ['stdio', 'sse', 'http']) {
    if (need(kind)) await probeVersions(kind, modes[0]);
  }
  if (need('http')) await probeVersions('http', modes[1]);
  console.log(`# protocol versions: ${((Date.now() - t1) / 1000).toFixed(1)} s`);

  if (ONLY.length === 3) {
    const missing = TOOL_NAMES.filter((t) => !called.has(t));
    check('every tool was called successfully at least once', missing.length === 0, `never succeeded: ${missing.join(', ')}`);
  }

  const t2 = Date.now();
  // Stopped together: okta-mcp shuts down gracefully on SIGTERM, and Go's http.Server.Shutdown waits
  // up to 5 s for a connection that is open but has sent no request yet (Node's fetch pool keeps
  // such connections), so stopping them one after the other would add up.
  const servers = [...modes.flatMap((env) => [env.sse, env.http]), sandbox].filter(Boolean);
  await Promise.all(servers.map((s) => stopChild(s.child)));
  for (const s of servers) {
    check(`[shutdown] ${s.label} exits cleanly on SIGTERM`, s.child.exitCode === 0,
      `exit code ${s.child.exitCode}, signal ${s.child.signalCode}\n${s.log.join('').slice(-1000)}`);
  }
  console.log(`# servers stopped: ${((Date.now() - t2) / 1000).toFixed(1)} s`);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

startWatchdog(GLOBAL_TIMEOUT_MS, 'client');

try {
  await main();
} catch (e) {
  check('client run', false, errText(e));
}
finish();
