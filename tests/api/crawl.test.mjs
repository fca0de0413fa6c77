// The crawl: every route the OpenAPI document names, called as every demo role and anonymously,
// on a district whose data was written a month ago (the demo under a clock offset of -30 days:
// nothing happened recently, as on any real morning). Nobody writes a test for a new route: it
// is crawled because it is documented.
//
//   reads:  every GET route × every role × (two real ids, an id that does not exist, an id that
//           is not a number) for each path parameter, then each documented query parameter with
//           boundary and malformed values. No reply may be 5xx; every 4xx is problem+json whose
//           status is the HTTP status.
//   writes: every write route with a JSON body, with bodies made from its request schema — one
//           valid, then per field a wrong type, null, too long, out of range and missing —
//           plus an empty, a non-JSON, an array and a deeply nested body. No 5xx; a refused write
//           changes nothing: the row count of every table and the audit chain's head are the
//           same after a batch of refused writes as before it.
// At the end the server still answers and `tongxin audit verify` passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, ENGINE, Client, runCli } from './harness.mjs';

const ROLE_USERS = {
  admin: 'admin', staff: 'staff', street: 'street', liaison: 'liaison', org_admin: 'orgadmin',
  org_member: 'member', expert: 'expert', mediator: 'mediator', gov_officer: 'officer',
  resident: 'resident', supervisor: 'supervisor',
};
const MISSING_ID = '2147483647';
const NOT_AN_ID = 'abc';

let srv;
let doc;
let routes;
const clients = {}; // role -> signed-in client (re-signed-in when a crawled write signs it out)

before(async () => {
  srv = await startServer({ demo: 30, env: {}, ageDemo: '30d' });
  doc = (await srv.client().get('/api/v1/openapi.json')).body;
  routes = JSON.parse(spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout);
  for (const [role, user] of Object.entries(ROLE_USERS)) clients[role] = await srv.login(user);
});
after(async () => { await srv.stop(); });

// ---------------------------------------------------------------- the document

function resolve(node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 10; i++) {
    n = n.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], doc);
  }
  return n;
}

const operation = (r) => doc.paths[r.path]?.[r.method.toLowerCase()];

function queryParams(r) {
  const op = operation(r) || {};
  const shared = doc.paths[r.path]?.parameters || [];
  return [...shared, ...(op.parameters || [])].map(resolve).filter((p) => p && p.in === 'query');
}

function producesStream(r) {
  const ok = resolve(operation(r)?.responses?.['200']);
  return Object.keys(ok?.content || {}).includes('text/event-stream');
}

function requestSchema(r) {
  const body = resolve(operation(r)?.requestBody);
  return resolve(body?.content?.['application/json']?.schema);
}

// ---------------------------------------------------------------- real ids

// ids seen in replies, by collection ("orgs", "occurrences", "threads", ...): a route's path
// parameter takes ids of the collection named by the segment before it.
const seen = new Map();
const singular = (name) => (name === 'people' ? 'person' : name.replace(/-/g, '_').replace(/s$/, ''));
const pluralOf = new Map();

function remember(collection, id) {
  if (id === null || id === undefined || (typeof id !== 'number' && typeof id !== 'string')) return;
  if (!seen.has(collection)) seen.set(collection, new Set());
  const ids = seen.get(collection);
  if (ids.size < 50) ids.add(String(id));
}

// Walks a reply: objects in an array under key K are items of collection K; a field `x_id` is
// an id of the collection whose singular is x; the top-level items of a list route are items of
// the collection the route lists.
function harvest(value, collection) {
  if (Array.isArray(value)) {
    for (const v of value) harvest(v, collection);
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (collection && value.id !== undefined) remember(collection, value.id);
  if (collection && value.token !== undefined && typeof value.token === 'string') remember(collection, value.token);
  for (const [k, v] of Object.entries(value)) {
    const m = /^(.*)_id$/.exec(k);
    if (m && pluralOf.has(m[1])) remember(pluralOf.get(m[1]), v);
    if (k === 'items' || k === 'data') harvest(v, collection);
    else if (Array.isArray(v)) harvest(v, pluralOf.has(singular(k)) ? k : null);
    else if (v && typeof v === 'object') harvest(v, null);
  }
}

/** The collection a path parameter belongs to: the segment before it. */
function collectionOf(path, index) {
  const segments = path.split('/');
  const at = segments.findIndex((s, i) => s.startsWith('{') && segments.slice(0, i).filter((x) => x.startsWith('{')).length === index);
  return segments[at - 1];
}

/** Concrete paths for a route: each parameter in turn takes real ids, a missing id and a bad one. */
function concretePaths(path) {
  const params = path.match(/\{[a-z_]+\}/g) || [];
  if (!params.length) return [path];
  const out = [];
  const real = params.map((_, i) => [...(seen.get(collectionOf(path, i)) || [])]);
  const first = real.map((ids) => ids[0] || '1');
  const fill = (values) => params.reduce((p, name, i) => p.replace(name, encodeURIComponent(values[i])), path);
  out.push(fill(first));
  for (let i = 0; i < params.length; i++) {
    const last = real[i][real[i].length - 1];
    if (last && last !== first[i]) out.push(fill(first.map((v, j) => (j === i ? last : v))));
    out.push(fill(first.map((v, j) => (j === i ? MISSING_ID : v))));
    out.push(fill(first.map((v, j) => (j === i ? NOT_AN_ID : v))));
  }
  return out;
}

// ---------------------------------------------------------------- calling

async function call(client, method, path, body, opts = {}) {
  const res = await client.request(method, path, body, { ...opts, invalid: true });
  if (res.status === 401 && client.role && client.role !== 'anonymous' && !opts.noRelogin) {
    // a crawled write (sign-out, a password or role change) may have ended this session
    try {
      const again = await srv.login(ROLE_USERS[client.role]);
      again.role = client.role;
      clients[client.role] = again;
    } catch { /* the account itself was changed by a crawled write: keep the refusal */ }
  }
  return res;
}

/** A stream route: only its status and type matter; the body never ends, so stop reading. */
async function callStream(client, path) {
  const headers = { Accept: 'text/event-stream' };
  if (client.cookie) headers.Cookie = client.cookie;
  const ac = new AbortController();
  const res = await fetch(client.base + path, { headers, signal: ac.signal });
  let body = null;
  if (res.status >= 400) body = await res.json().catch(() => null);
  ac.abort();
  return { status: res.status, headers: res.headers, body };
}

function judge(problems, who, method, path, res) {
  const where = `${who} ${method} ${path}`;
  if (res.status >= 500) problems.push(`${where} -> ${res.status} ${res.text?.slice(0, 200) || ''}`);
  else if (res.status >= 400) {
    const type = res.headers.get('content-type') || '';
    if (!type.startsWith('application/problem+json')) problems.push(`${where} -> ${res.status} as ${type}`);
    else if (res.body?.status !== res.status || !res.body?.code) problems.push(`${where} -> ${res.status} problem says ${res.body?.status}/${res.body?.code}`);
  }
}

function everyone() {
  const list = Object.keys(ROLE_USERS).map((role) => {
    const c = clients[role];
    c.role = role;
    return [role, c];
  });
  const anonymous = new Client(srv.base);
  anonymous.role = 'anonymous';
  return [...list, ['anonymous', anonymous]];
}

async function alive() {
  const res = await fetch(`${srv.base}/healthz`);
  assert.equal(res.status, 200, `the server stopped answering:\n${srv.log().slice(-3000)}`);
}

// ---------------------------------------------------------------- reads

test('every GET route, as every role and anonymously, on aged data: no 5xx, every 4xx problem+json', async () => {
  for (const r of routes) for (const seg of r.path.split('/')) if (seg && !seg.startsWith('{')) pluralOf.set(singular(seg), seg);
  const gets = routes.filter((r) => r.method === 'GET');
  // routes without parameters first (their replies give the ids), then by depth
  gets.sort((a, b) => (a.path.match(/\{/g) || []).length - (b.path.match(/\{/g) || []).length);
  const problems = [];
  let calls = 0;
  for (const r of gets) {
    for (const path of concretePaths(r.path)) {
      for (const [who, client] of everyone()) {
        const res = producesStream(r) ? await callStream(client, path) : await call(client, 'GET', path);
        calls++;
        judge(problems, who, 'GET', path, res);
        if (res.status === 200 && res.body && (who === 'admin' || who === 'org_admin' || who === 'resident')) {
          const segs = path.split('?')[0].split('/');
          const listed = segs[segs.length - 1];
          harvest(res.body, pluralOf.has(singular(listed)) ? listed : null);
        }
      }
    }
  }
  assert.ok(calls > gets.length * 10, `crawled ${calls} calls`);
  assert.ok(seen.get('orgs')?.size > 1 && seen.get('meetings')?.size > 0, 'the crawl found real ids');
  assert.deepEqual(problems, []);
  await alive();
});

const BAD_QUERY_VALUES = ['', '-1', '0', '99999999999999999999', 'x'.repeat(600), '%E4%B8', '1.5', '2026-13-45', "'; DROP TABLE org; --", '%00'];

test('every documented query parameter, with boundary and malformed values: no 5xx', async () => {
  const problems = [];
  for (const r of routes.filter((x) => x.method === 'GET' && !producesStream(x))) {
    const path = concretePaths(r.path)[0];
    for (const p of queryParams(r)) {
      const schema = resolve(p.schema) || {};
      const values = [...BAD_QUERY_VALUES, ...(schema.enum || []).slice(0, 2).map(String)];
      if (schema.maximum !== undefined) values.push(String(schema.maximum), String(schema.maximum + 1));
      for (const v of values) {
        for (const who of ['admin', 'street', 'org_member']) {
          const client = clients[who];
          client.role = who;
          const sep = path.includes('?') ? '&' : '?';
          const url = `${path}${sep}${encodeURIComponent(p.name)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`;
          judge(problems, who, 'GET', url, await call(client, 'GET', url));
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  await alive();
});

// ---------------------------------------------------------------- writes

// The state a refused write must leave alone: every table's row count and the audit chain's
// head. Tables that a refused request legitimately writes are left out, each for its reason.
const NOT_COMPARED = new Set([
  'schema_migrations',
  'login_failure', // a refused sign-in is counted: that is the throttle
  'session', // crawled sign-ins and sign-outs
]);

let tables;
function snapshot() {
  if (!tables) {
    const list = ENGINE === 'postgres'
      ? srv.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")
      : srv.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY 1");
    tables = list.split('\n').map((s) => s.trim()).filter((t) => t && !NOT_COMPARED.has(t));
  }
  const parts = tables.map((t) => `(SELECT COUNT(*) FROM "${t}")`);
  const counts = srv.sql(`SELECT ${parts.join(" || ',' || ")} || ',' || (SELECT COALESCE(MAX(id), 0) FROM audit_log)`);
  return Object.fromEntries([...tables, 'audit head'].map((t, i) => [t, counts.split(',')[i]]));
}

// After an accepted write, work it started in the background (a matching run, an import, the
// notification delivery) may still be writing: wait until two looks a moment apart agree.
// A 202 (accepted, running in the background) is waited for longer: its job may take a while
// before it writes anything.
let dirty = false;
let background = false;
async function settled() {
  let last = snapshot();
  let quiet = 0;
  for (let i = 0; dirty && i < 40 && quiet < (background ? 8 : 1); i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = snapshot();
    quiet = diff(last, now).length ? 0 : quiet + 1;
    last = now;
  }
  dirty = false;
  background = false;
  return last;
}

function diff(a, b) {
  return Object.keys(a).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} -> ${b[k]}`);
}

// A value of the schema's type that the server should take, for the valid body.
function validValue(schema, name, depth = 0) {
  const s = resolve(schema) || {};
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (s.oneOf || s.anyOf) return validValue((s.oneOf || s.anyOf)[0], name, depth);
  switch (type) {
    case 'integer':
    case 'number': {
      const m = /^(.*)_id$/.exec(name || '');
      const ids = m && pluralOf.has(m[1]) ? [...(seen.get(pluralOf.get(m[1])) || [])] : [];
      if (ids.length && /^\d+$/.test(ids[0])) return Number(ids[0]);
      return s.minimum !== undefined ? Math.max(s.minimum, 1) : 1;
    }
    case 'boolean': return true;
    case 'array': return depth > 3 ? [] : [validValue(s.items, (name || '').replace(/s$/, ''), depth + 1)].filter((v) => v !== undefined);
    case 'object': {
      if (depth > 3) return {};
      const out = {};
      for (const [k, v] of Object.entries(s.properties || {})) out[k] = validValue(v, k, depth + 1);
      return out;
    }
    case 'string':
    default:
      if (s.format === 'date') return '2027-01-15';
      if (s.format === 'date-time') return '2027-01-15T09:00:00+08:00';
      if (s.format === 'email') return 'crawl@example.com';
      if (s.format === 'uri') return 'https://example.com/';
      if (s.pattern) return undefined;
      return `爬取 ${name || ''}`.slice(0, s.maxLength || 40);
  }
}

// Bodies that break one field each, then bodies that are wrong as a whole.
function invalidBodies(schema, valid) {
  const s = resolve(schema) || {};
  const out = [];
  const props = Object.entries(s.properties || {});
  for (const [k, raw] of props.slice(0, 12)) {
    const p = resolve(raw) || {};
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
    const nullable = Array.isArray(p.type) && p.type.includes('null');
    const set = (v) => ({ ...valid, [k]: v });
    out.push(set(type === 'string' ? 12345 : 'not a number'));
    if (!nullable) out.push(set(null));
    if (type === 'string') out.push(set('长'.repeat((p.maxLength || 100000) + 1)));
    if (type === 'string') out.push(set('\u0000\uFFFF<script>'));
    if (type === 'integer' || type === 'number') out.push(set(-1), set(2 ** 53), set(1.5));
    if (type === 'array') out.push(set({}), set(Array(2000).fill(1)));
    if ((s.required || []).includes(k)) {
      const copy = { ...valid };
      delete copy[k];
      out.push(copy);
    }
  }
  let deep = {};
  for (let i = 0; i < 200; i++) deep = { a: deep };
  out.push({}, [], 'text', null, { ...valid, unknown_field_from_crawl: 1 }, deep);
  return out;
}

// the order the writes are crawled in: creations first, removals and sign-out last
function writeOrder(r) {
  if (r.path === '/api/v1/session') return 9;
  if (r.method === 'DELETE') return 8;
  if (r.method === 'POST' && !/\}/.test(r.path)) return 0;
  if (r.method === 'POST') return 2;
  return 1;
}

test('every write route with generated bodies: no 5xx, and a refused write changes nothing', async () => {
  const writes = routes.filter((r) => r.method !== 'GET' && !r.upload && requestSchema(r))
    .sort((a, b) => writeOrder(a) - writeOrder(b));
  assert.ok(writes.length > 40, `${writes.length} write routes with JSON bodies`);
  const problems = [];
  let refused = 0;
  for (const r of writes) {
    const schema = requestSchema(r);
    const valid = validValue(schema, '');
    const path = concretePaths(r.path)[0];
    for (const who of r.public ? ['anonymous'] : ['admin', 'org_admin', 'resident']) {
      const client = who === 'anonymous' ? new Client(srv.base) : clients[who];
      client.role = who;
      // a batch of bad bodies: all refused, nothing changed
      const state = await settled();
      let accepted = null;
      for (const body of invalidBodies(schema, valid)) {
        const res = typeof body === 'string'
          ? await call(client, r.method, path, undefined, { raw: body, headers: { 'Content-Type': 'application/json' } })
          : await call(client, r.method, path, body);
        judge(problems, who, r.method, path, res);
        if (res.status < 400) accepted = `${JSON.stringify(body).slice(0, 120)} -> ${res.status}`;
        if (res.status === 202) background = true;
        else refused++;
        if (r.path === '/api/v1/session' && res.status < 400) break;
      }
      const after = snapshot();
      const changed = diff(state, after);
      if (!accepted && changed.length) problems.push(`${who} ${r.method} ${path}: refused writes changed ${changed.join('; ')}`);
      dirty = dirty || Boolean(accepted);
      // then the valid one (it may still be refused for what the schema cannot say)
      const ready = accepted ? await settled() : after;
      const res = await call(client, r.method, path, valid);
      judge(problems, who, r.method, path, res);
      if (res.status >= 400) {
        const ch = diff(ready, snapshot());
        if (ch.length) problems.push(`${who} ${r.method} ${path}: a refused (${res.status}) valid-shaped write changed ${ch.join('; ')}`);
      } else {
        dirty = true;
        background = background || res.status === 202;
      }
    }
  }
  assert.ok(refused > 500, `${refused} refused writes`);
  assert.deepEqual(problems, []);
  await alive();
  const verify = runCli(srv.db.url, ['audit', 'verify']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});

test('an empty district (accounts, no organizations): every GET route as every role, and a matching run, answer', async () => {
  // n = 0 everywhere: empty lists, empty indexes, an empty matching set and its overlay
  const empty = await startServer();
  try {
    const demo = empty.cli(['demo', '--scale', '0']);
    assert.equal(demo.status, 0, demo.stderr);
    const who = {};
    // accounts of organizations do not exist without organizations: the others crawl
    for (const [role, user] of Object.entries(ROLE_USERS)) who[role] = await empty.login(user).catch(() => null);
    for (const role of Object.keys(who)) if (!who[role]) delete who[role];
    assert.ok(Object.keys(who).length >= 5, `signed in: ${Object.keys(who)}`);
    who.anonymous = new Client(empty.base);
    const problems = [];
    const admin = who.admin;
    const run = await admin.post('/api/v1/matching/runs', {}, { invalid: true });
    assert.ok(run.status === 202 || run.status === 422, `a run on nothing: ${run.status} ${run.text}`);
    for (const r of routes.filter((x) => x.method === 'GET')) {
      const path = r.path.replace(/\{[a-z_]+\}/g, '1');
      for (const [role, client] of Object.entries(who)) {
        const res = producesStream(r) ? await callStream(client, path) : await client.request('GET', path, undefined, { invalid: true });
        judge(problems, role, 'GET', path, res);
      }
    }
    assert.deepEqual(problems, []);
    assert.equal((await fetch(`${empty.base}/healthz`)).status, 200, empty.log().slice(-2000));
  } finally {
    await empty.stop();
  }
});
