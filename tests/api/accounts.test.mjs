import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
const PASSWORD = 'Secret2026x';
before(async () => {
  srv = await startServer();
  const r = srv.cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
  const s = srv.cli(['user', 'add', 'clerk', '--name', '李干事', '--role', 'staff,liaison', '--password', PASSWORD]);
  assert.equal(s.status, 0, s.stderr);
});
after(async () => { await srv.stop(); });

test('signing in sets an HttpOnly SameSite session cookie and returns a CSRF token', async () => {
  const res = await srv.client().post('/api/v1/session', { username: 'boss', password: PASSWORD });
  assert.equal(res.status, 200);
  assert.match(res.setCookie, /^tongxin_session=[A-Za-z0-9_-]{43};/);
  assert.match(res.setCookie, /HttpOnly/);
  assert.match(res.setCookie, /SameSite=Strict/);
  assert.doesNotMatch(res.setCookie, /Secure/); // plain HTTP here; --secure-cookies behind TLS
  assert.equal(res.body.user.username, 'boss');
  assert.deepEqual(res.body.user.roles, ['admin']);
  assert.equal(res.body.csrf_token.length, 43);
});

test('a wrong password and an unknown user get the same 401 answer', async () => {
  const wrong = await srv.client().post('/api/v1/session', { username: 'boss', password: 'nope12345' });
  const unknown = await srv.client().post('/api/v1/session', { username: 'ghost', password: 'nope12345' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.body.code, 'invalid_credentials');
  assert.equal(wrong.body.detail, unknown.body.detail);
});

test('sign-in with missing fields reports both fields', async () => {
  const res = await srv.client().post('/api/v1/session', {}, { invalid: true });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['password', 'username']);
});

test('/me needs a session and shows every role of the user', async () => {
  assert.equal((await srv.client().get('/api/v1/me')).status, 401);
  const c = await srv.login('clerk', PASSWORD);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.roles.sort(), ['liaison', 'staff']);
  assert.equal(me.body.csrf_token, c.csrf);
});

test('a cookie write without the CSRF token is refused and changes nothing', async () => {
  const c = await srv.login('boss', PASSWORD);
  const res = await c.delete('/api/v1/session', undefined, { noCsrf: true });
  assert.equal(res.status, 403);
  assert.equal(res.body.code, 'csrf_failed');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'session still valid');
});

test('signing out ends the session', async () => {
  const c = await srv.login('boss', PASSWORD);
  const out = await c.delete('/api/v1/session');
  assert.equal(out.status, 204);
  assert.match(out.setCookie, /Max-Age=0/);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 401);
  assert.equal(me.body.code, 'unauthenticated');
});

test('a forged session cookie is refused', async () => {
  const c = srv.client();
  c.cookie = 'tongxin_session=' + 'A'.repeat(43);
  const res = await c.get('/api/v1/me');
  assert.equal(res.status, 401);
});

test('the CLI refuses a user with bad fields and names each one', () => {
  const r = srv.cli(['user', 'add', 'X', '--name', '', '--role', 'staff', '--password', 'short', '--street', '123']);
  assert.equal(r.status, 1);
  for (const field of ['username', 'display_name', 'password', 'jurisdiction']) assert.match(r.stderr, new RegExp(`${field}:`));
  const list = srv.cli(['user', 'list']);
  assert.doesNotMatch(list.stdout, /\bX\b/);
});

test('a taken user name is refused', () => {
  const r = srv.cli(['user', 'add', 'boss', '--name', '另一个', '--role', 'staff', '--password', PASSWORD]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /该用户名已被使用/);
});

test('password hashing does not stall other requests: reads flow while logins are in flight', async () => {
  const reader = srv.client();
  const logins = Array.from({ length: 6 }, () => srv.client().post('/api/v1/session', { username: 'boss', password: PASSWORD }));
  const t0 = performance.now();
  let reads = 0;
  let loginsDone = false;
  const all = Promise.all(logins).then((r) => { loginsDone = true; return r; });
  while (!loginsDone) {
    const h = await reader.get('/healthz');
    assert.equal(h.status, 200);
    reads++;
  }
  const results = await all;
  const loginMs = performance.now() - t0;
  for (const r of results) assert.equal(r.status, 200);
  // Six argon2id hashes take several hundred milliseconds; a stalled server would answer only
  // a handful of reads in that time. Ratio, not a timing threshold: reads per login-second.
  assert.ok(reads >= 20, `only ${reads} reads completed during ${loginMs.toFixed(0)} ms of logins`);
});
