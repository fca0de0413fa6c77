// Login throttling per account and per address, with small limits from the environment.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serve, Client } from './harness.mjs';

const PASSWORD = 'Secret2026x';
const servers = [];
after(async () => { for (const s of servers.reverse()) await s.stop(); });

async function server(env, users) {
  const srv = await startServer({ env });
  servers.push(srv);
  for (const name of users) {
    const r = srv.cli(['user', 'add', name, '--name', name, '--role', 'staff', '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
  }
  return srv;
}

const signIn = (srv, username, password, lang = 'zh-CN') =>
  srv.client().post('/api/v1/session', { username, password }, { lang });

test('the Nth wrong password locks the account: 429 with retry_after and how long, in both languages', async () => {
  const srv = await server({ TONGXIN_LOGIN_MAX_FAILURES: '3' }, ['alice']);
  for (let i = 0; i < 3; i++) assert.equal((await signIn(srv, 'alice', 'wrong-pass1')).status, 401);
  const res = await signIn(srv, 'alice', 'wrong-pass1');
  assert.equal(res.status, 429);
  assert.equal(res.body.code, 'too_many_requests');
  assert.ok(res.body.retry_after > 890 && res.body.retry_after <= 900, `retry_after ${res.body.retry_after}`);
  assert.equal(res.headers.get('retry-after'), String(res.body.retry_after));
  assert.match(res.body.detail, /锁定.*15 分钟/);
  const en = await signIn(srv, 'alice', 'wrong-pass1', 'en');
  assert.match(en.body.detail, /locked.*15 minute/);
});

test('the right password during a lockout is still refused, and no session is made', async () => {
  const srv = await server({ TONGXIN_LOGIN_MAX_FAILURES: '3' }, ['bob', 'carol']);
  for (let i = 0; i < 3; i++) await signIn(srv, 'bob', 'wrong-pass1');
  const res = await signIn(srv, 'bob', PASSWORD);
  assert.equal(res.status, 429);
  assert.equal(res.setCookie, null);
  // the lock is the account's: another account from the same address signs in
  assert.equal((await signIn(srv, 'carol', PASSWORD)).status, 200);
});

test('a success clears the account counter', async () => {
  const srv = await server({ TONGXIN_LOGIN_MAX_FAILURES: '3' }, ['dave']);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(srv, 'dave', 'wrong-pass1')).status, 401);
  assert.equal((await signIn(srv, 'dave', PASSWORD)).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(srv, 'dave', 'wrong-pass1')).status, 401);
  assert.equal((await signIn(srv, 'dave', PASSWORD)).status, 200, 'four failures, but never three in a row');
});

test('an unknown user name is counted and locked like a real one', async () => {
  const srv = await server({ TONGXIN_LOGIN_MAX_FAILURES: '2' }, []);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(srv, 'ghost', 'wrong-pass1')).status, 401);
  assert.equal((await signIn(srv, 'ghost', 'wrong-pass1')).status, 429);
});

test('a lock ends after the lockout time', async () => {
  // seconds, not minutes; long enough that a loaded machine (argon2id under memory pressure
  // can take seconds) still asks before the lock ends
  const srv = await server({ TONGXIN_LOGIN_MAX_FAILURES: '2', TONGXIN_LOGIN_LOCKOUT: '10' }, ['erin']);
  for (let i = 0; i < 2; i++) await signIn(srv, 'erin', 'wrong-pass1');
  const locked = await signIn(srv, 'erin', PASSWORD);
  assert.equal(locked.status, 429);
  assert.ok(locked.body.retry_after >= 1 && locked.body.retry_after <= 10);
  await new Promise((r) => setTimeout(r, locked.body.retry_after * 1000 + 1100));
  assert.equal((await signIn(srv, 'erin', PASSWORD)).status, 200);
});

test('too many failures from one address throttle every account from it', async () => {
  const srv = await server({ TONGXIN_LOGIN_MAX_ADDRESS_FAILURES: '2', TONGXIN_LOGIN_WINDOW: '10' }, ['frank']);
  for (const name of ['nobody1', 'nobody2']) assert.equal((await signIn(srv, name, 'wrong-pass1')).status, 401);
  const res = await signIn(srv, 'frank', PASSWORD);
  assert.equal(res.status, 429);
  assert.ok(res.body.retry_after >= 1 && res.body.retry_after <= 10);
  assert.match(res.body.detail, /网络地址/);
  // a sliding window: once the old failures leave it, the address may try again
  await new Promise((r) => setTimeout(r, res.body.retry_after * 1000 + 1100));
  assert.equal((await signIn(srv, 'frank', PASSWORD)).status, 200);
});

test('a second server instance on the same database sees the lock', async () => {
  const env = { TONGXIN_LOGIN_MAX_FAILURES: '2' };
  const srv = await server(env, ['gina']);
  for (let i = 0; i < 2; i++) await signIn(srv, 'gina', 'wrong-pass1');
  const second = await serve(srv.db.url, { env });
  try {
    const res = await new Client(second.base).post('/api/v1/session', { username: 'gina', password: PASSWORD });
    assert.equal(res.status, 429);
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
});
