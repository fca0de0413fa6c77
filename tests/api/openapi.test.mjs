// The OpenAPI document must match the route table: a route without documentation, or
// documentation of a route that does not exist, fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN } from './harness.mjs';

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
