import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ENGINE } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('health check names the engine and says the database is reachable', async () => {
  const res = await srv.client().get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.database.reachable, true);
  assert.equal(res.body.database.engine, ENGINE === 'postgres' ? 'postgresql' : 'sqlite');
  assert.ok(res.body.database.schema >= 1);
});

test('an unknown API path is a 404 problem document in Chinese by default', async () => {
  const res = await srv.client().get('/api/v1/no-such-thing');
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(res.body.code, 'not_found');
  assert.equal(res.body.status, 404);
  assert.match(res.body.detail, /接口不存在/);
});

test('Accept-Language: en gives English problem documents', async () => {
  const res = await srv.client().get('/api/v1/no-such-thing', { lang: 'en-US,en;q=0.9' });
  assert.equal(res.body.detail, 'No such API endpoint');
  assert.equal(res.headers.get('content-language'), 'en');
});

test('replies carry nosniff and no-store', async () => {
  const res = await srv.client().get('/healthz');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('keep-alive: the server does not close the connection after a reply', async () => {
  const res = await srv.client().get('/healthz');
  assert.notEqual((res.headers.get('connection') || '').toLowerCase(), 'close');
});

test('serve --listen: port 0 is chosen by the system and named; a bad or taken address exits 1', async () => {
  // the harness started this server on port 0: the port it learned is the one that answers
  assert.notEqual(srv.port, 0);
  assert.match(srv.log(), new RegExp(`serving http://127\\.0\\.0\\.1:${srv.port}/`));
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  for (const [listen, message] of [['127.0.0.1:x1', /cannot parse listen address/],
    ['127.0.0.1:70000', /cannot parse listen address/], [`127.0.0.1:${srv.port}`, /cannot listen on/]]) {
    const r = srv.cli(['serve', '--listen', listen]);
    assert.equal(r.status, 1, `${listen}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
