// The OpenAPI document must match the route table: a route without documentation, or
// documentation of a route that does not exist, fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN } from './harness.mjs';
import { checkReply, checkRequest } from './contract.mjs';

let srv;
let doc;
let routes;
before(async () => {
  srv = await startServer();
  doc = (await srv.client().get('/api/v1/openapi.json')).body;
  routes = JSON.parse(spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout);
});
after(async () => { await srv.stop(); });

test('the document is OpenAPI 3.1 with a title and version', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info.title);
  assert.ok(doc.info.version);
});

test('every route in the route table is documented with a summary and responses', () => {
  const missing = [];
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    if (!op || !op.summary || !op.responses) missing.push(`${r.method} ${r.path}`);
  }
  assert.deepEqual(missing, []);
});

test('every documented operation exists in the route table', () => {
  const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const extra = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method) && !known.has(`${method.toUpperCase()} ${path}`)) {
        extra.push(`${method.toUpperCase()} ${path}`);
      }
    }
  }
  assert.deepEqual(extra, []);
});

test('documented roles (x-roles) match who the route table lets in', () => {
  const wrong = [];
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    if (!op) continue;
    const expected = r.public ? ['public'] : [...r.roles].sort();
    const documented = [...(op['x-roles'] || [])].sort();
    if (JSON.stringify(expected) !== JSON.stringify(documented)) wrong.push(`${r.method} ${r.path}: table ${expected} doc ${documented}`);
  }
  assert.deepEqual(wrong, []);
});

// The harness checks every exchange against the document (contract.mjs); this makes sure the
// check has teeth, so a suite that passes means the replies matched.
test('the harness fails a reply that contradicts the document, an undeclared reply and a bad body',
  { skip: process.env.TONGXIN_CONTRACT_REPORT ? 'report mode records instead of failing' : false }, () => {
    const json = 'application/json; charset=utf-8';
    assert.throws(() => checkReply(BIN, 'GET', '/api/v1/orgs/1', 200, json, JSON.stringify({ id: 'one', short_name: 7 })),
      /GET \/api\/v1\/orgs\/1 -> 200: the reply does not match the schema of GET \/api\/v1\/orgs\/\{id\} 200[^]*\/short_name must be string,null/);
    assert.throws(() => checkReply(BIN, 'GET', '/api/v1/orgs/1', 418, json, '{}'), /declares no 418 reply/);
    assert.throws(() => checkReply(BIN, 'GET', '/api/v1/nowhere', 200, json, '{}'), /path the document does not declare/);
    assert.throws(() => checkReply(BIN, 'GET', '/api/v1/nowhere', 404, 'application/problem+json', '{"title": "x"}'), /Problem schema/);
    assert.throws(() => checkRequest(BIN, 'POST', '/api/v1/orgs', { name: 5 }), /request body does not match[^]*\/name must be string/);
    checkReply(BIN, 'GET', '/api/v1/nowhere', 404, 'application/problem+json', '{"type": "about:blank", "title": "x", "status": 404, "code": "not_found"}');
    checkReply(BIN, 'GET', '/api/v1/orgs/1', 200, 'text/csv', 'not json, not checked');
  });
