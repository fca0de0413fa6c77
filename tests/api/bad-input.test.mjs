// Bad input gets a clear error and changes nothing. Every write route receives malformed
// bodies; every documented JSON body receives wrong types, unknown and missing fields and
// over-long strings; every paged list receives absurd paging values. Each answer must be a 4xx
// problem document, and the audit trail (every write appends to it) must not grow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN } from './harness.mjs';

let srv;
let admin;
let routes;
let doc;
before(async () => {
  srv = await startServer({ demo: 30 });
  admin = await srv.login('admin');
  routes = JSON.parse(spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout);
  doc = (await srv.client().get('/api/v1/openapi.json')).body;
});
after(async () => { await srv.stop(); });

const concrete = (path) => path.replace(/\{[a-z_]+\}/g, '1');
const writes = () => routes.filter((r) => r.method !== 'GET' && !r.upload && !(r.method === 'DELETE' && r.path === '/api/v1/session'));

async function auditCount() {
  const res = await admin.get('/api/v1/audit?per_page=1');
  assert.equal(res.status, 200, 'the audit list is readable by the administrator');
  return res.body.total;
}

function assertProblem(res, what, statuses) {
  assert.ok(statuses.includes(res.status), `${what}: expected ${statuses} got ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers.get('content-type') || '', /problem\+json/, `${what}: problem document`);
  assert.ok(res.body && res.body.code && res.body.detail, `${what}: has code and detail`);
}

const raw = (body, type = 'application/json') => ({ raw: body, headers: { 'Content-Type': type }, invalid: true });
// every body this file sends is bad on purpose: the harness does not check it against the
// document (the replies still are checked)
const BAD = { invalid: true };

const MALFORMED = [
  ['malformed JSON', raw('{"name": '), [400]],
  ['a JSON array instead of an object', raw('[]'), [400]],
  ['text/plain body', raw('{}', 'text/plain'), [415]],
  ['invalid UTF-8 in a string', raw(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), [400]],
  ['a NUL escape in a string', raw('{"name":"a\\u0000b"}'), [400]],
  ['deep nesting', raw('{"a":' + '['.repeat(60000) + ']'.repeat(60000) + '}'), [400]],
  ['a number too large for any type', raw('{"a": 1e400}'), [400]],
  ['duplicate keys', raw('{"a": 1, "a": 2}'), [400]],
  ['an oversize body', raw('{"a":"' + 'x'.repeat(2 * 1024 * 1024) + '"}'), [413]],
];

test('every write route answers malformed bodies with a 4xx problem and changes nothing', async () => {
  const before = await auditCount();
  for (const r of writes()) {
    for (const [what, opts, statuses] of MALFORMED) {
      const res = await admin.request(r.method, concrete(r.path), undefined, opts);
      assertProblem(res, `${r.method} ${r.path} with ${what}`, statuses);
    }
  }
  assert.equal(await auditCount(), before, 'no audit record was added');
});

const SAMPLE = { string: 12345, integer: 'not a number', number: 'not a number', boolean: 'yes', array: 'not a list', object: 'not an object' };

function bodySchema(r) {
  const op = doc.paths[r.path]?.[r.method.toLowerCase()];
  let schema = op?.requestBody?.content?.['application/json']?.schema;
  if (schema?.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()];
  return schema && schema.properties ? schema : null;
}

test('documented bodies: wrong types, unknown, missing and over-long fields are each named', async () => {
  const before = await auditCount();
  let checked = 0;
  for (const r of writes()) {
    const schema = bodySchema(r);
    if (!schema) continue;
    const path = concrete(r.path);
    for (const [name, prop] of Object.entries(schema.properties)) {
      const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
      if (!(type in SAMPLE)) continue;
      const res = await admin.request(r.method, path, { [name]: SAMPLE[type] }, BAD);
      assertProblem(res, `${r.method} ${r.path} ${name} as wrong type`, [400, 401, 404, 409, 422]);
      if (res.status === 422) {
        assert.ok(res.body.errors.some((e) => e.field === name), `${r.method} ${r.path}: ${name} named (${res.text.slice(0, 300)})`);
      }
      if (type === 'string' && prop.maxLength && prop.maxLength < 100000) {
        const long = await admin.request(r.method, path, { [name]: '长'.repeat(prop.maxLength + 1) }, BAD);
        assertProblem(long, `${r.method} ${r.path} ${name} too long`, [400, 401, 404, 409, 422]);
        if (long.status === 422) assert.ok(long.body.errors.some((e) => e.field === name), `${r.method} ${r.path}: long ${name} named`);
      }
      checked++;
    }
    if (schema.additionalProperties === false) {
      const res = await admin.request(r.method, path, { zz_unknown_field: 1 }, BAD);
      assertProblem(res, `${r.method} ${r.path} unknown field`, [400, 404, 409, 422]);
      if (res.status === 422) assert.ok(res.body.errors.some((e) => e.field === 'zz_unknown_field'), `${r.method} ${r.path}: unknown field named`);
    }
    if (Array.isArray(schema.required) && schema.required.length && !r.path.includes('{')) {
      const res = await admin.request(r.method, path, {}, BAD);
      assertProblem(res, `${r.method} ${r.path} empty body`, [400, 422]);
      if (res.status === 422) {
        for (const f of schema.required) assert.ok(res.body.errors.some((e) => e.field === f), `${r.method} ${r.path}: missing ${f} named`);
      }
    }
  }
  assert.ok(checked > 0, 'some documented fields were checked');
  assert.equal(await auditCount(), before, 'no audit record was added');
});

test('paged lists refuse negative and absurd paging values with 422', async () => {
  let checked = 0;
  for (const r of routes.filter((x) => x.method === 'GET' && !x.path.includes('{'))) {
    const op = doc.paths[r.path]?.get;
    const names = (op?.parameters || []).map((p) => p.name || p.$ref?.split('/').pop());
    if (!names.includes('page') || !names.includes('per_page')) continue;
    for (const q of ['page=-1', 'page=0', 'per_page=100000', 'per_page=-5', 'page=abc', 'page=99999999999999999999']) {
      const res = await admin.get(`${r.path}?${q}`);
      assertProblem(res, `${r.path}?${q}`, [422]);
      assert.ok(res.body.errors.some((e) => q.startsWith(e.field)), `${r.path}?${q} names the parameter`);
    }
    checked++;
  }
  assert.ok(checked > 0, 'at least one paged list was checked');
});

test('a query argument or path parameter that is not clean UTF-8 is refused with 422 naming it, on both engines', async () => {
  // broken UTF-8 (a cut three-byte sequence) and a control character; PostgreSQL used to answer
  // 500 when such bytes reached a query
  for (const [path, field] of [['/api/v1/people?q=%E4%B8', 'q'], ['/api/v1/users?q=%E4%B8%01', 'q'],
    ['/api/v1/audit?action=%FF', 'action'], ['/api/v1/orgs?q=%E4%B8%AD%0B', 'q'], ['/api/v1/calendar/%E4%B8', 'token']]) {
    const res = await admin.get(path);
    assertProblem(res, path, [422]);
    assert.ok(res.body.errors.some((e) => e.field === field), `${path} names ${field}: ${res.text}`);
  }
  const fine = await admin.get('/api/v1/people?q=%E4%B8%AD');
  assert.equal(fine.status, 200, 'a whole character is searched as usual');
});
