// API tokens: shown once, one role each, revocable, no CSRF for bearer requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './harness.mjs';

let srv;
let boss; // admin + staff
const PASSWORD = 'Secret2026x';
before(async () => {
  srv = await startServer();
  for (const [name, roles] of [['boss', 'admin,staff'], ['clerk', 'staff'], ['keeper', 'admin']]) {
    const r = srv.cli(['user', 'add', name, '--name', name, '--role', roles, '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
  }
  boss = await srv.login('boss', PASSWORD);
});
after(async () => { await srv.stop(); });

function bearer(token) {
  const c = new Client(srv.base);
  c.token = token;
  return c;
}

async function makeToken(client, role, name = `${role} token`) {
  const res = await client.post('/api/v1/me/tokens', { name, role });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('a new token is shown once and never again in the list', async () => {
  const t = await makeToken(boss, 'staff', 'nightly export');
  assert.match(t.token, /^tx_[A-Za-z0-9_-]{43}$/);
  assert.equal(t.role, 'staff');
  assert.equal(t.expires_at, null);
  const list = await boss.get('/api/v1/me/tokens');
  assert.equal(list.status, 200);
  const mine = list.body.items.find((i) => i.id === t.id);
  assert.equal(mine.name, 'nightly export');
  assert.equal(mine.revoked_at, null);
  assert.ok(!list.text.includes(t.token.slice(3)), 'the list does not contain the token');
});

test('a token with an expiry reports when it ends', async () => {
  const res = await boss.post('/api/v1/me/tokens', { name: 'week', role: 'staff', expires_in_days: 7 });
  assert.equal(res.status, 201);
  assert.ok(Math.abs(res.body.expires_at - (res.body.created_at + 7 * 86400)) <= 1);
});

test('a token acts with its one role: a staff token of an admin+staff user gets 403 on an admin route', async () => {
  const staff = bearer((await makeToken(boss, 'staff')).token);
  const me = await staff.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.roles, ['staff']);
  assert.equal((await staff.get('/api/v1/users')).status, 403);
  const admin = bearer((await makeToken(boss, 'admin')).token);
  assert.equal((await admin.get('/api/v1/users')).status, 200);
});

test('a token cannot be made for a role the user does not hold, nor with bad fields', async () => {
  const clerk = await srv.login('clerk', PASSWORD);
  const res = await clerk.post('/api/v1/me/tokens', { name: '', role: 'admin', expires_in_days: 0 }, { invalid: true });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['expires_in_days', 'name']);
  const wrongRole = await clerk.post('/api/v1/me/tokens', { name: 'x', role: 'admin' });
  assert.equal(wrongRole.status, 422);
  assert.deepEqual(wrongRole.body.errors.map((e) => e.field), ['role']);
  assert.equal((await clerk.get('/api/v1/me/tokens')).body.items.length, 0);
});

test('bearer writes need no CSRF token', async () => {
  const victim = await makeToken(boss, 'staff');
  const admin = bearer((await makeToken(boss, 'admin')).token);
  const res = await admin.delete(`/api/v1/me/tokens/${victim.id}`);
  assert.equal(res.status, 204, res.text);
  assert.equal((await bearer(victim.token).get('/api/v1/me')).status, 401);
});

test('a revoked token gets 401, and revoking twice is harmless', async () => {
  const t = await makeToken(boss, 'staff');
  const c = bearer(t.token);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal((await boss.delete(`/api/v1/me/tokens/${t.id}`)).status, 204);
  const res = await c.get('/api/v1/me');
  assert.equal(res.status, 401);
  assert.equal(res.body.code, 'unauthenticated');
  assert.equal((await boss.delete(`/api/v1/me/tokens/${t.id}`)).status, 204);
  const listed = (await boss.get('/api/v1/me/tokens')).body.items.find((i) => i.id === t.id);
  assert.ok(listed.revoked_at > 0);
});

test('a made-up token gets 401', async () => {
  assert.equal((await bearer('tx_' + 'A'.repeat(43)).get('/api/v1/me')).status, 401);
  assert.equal((await bearer('nonsense').get('/api/v1/me')).status, 401);
});

test('a token cannot make more tokens', async () => {
  const c = bearer((await makeToken(boss, 'admin')).token);
  const res = await c.post('/api/v1/me/tokens', { name: 'child', role: 'admin' });
  assert.equal(res.status, 403);
});

test('using a token records when it was last used', async () => {
  const t = await makeToken(boss, 'staff');
  let row = (await boss.get('/api/v1/me/tokens')).body.items.find((i) => i.id === t.id);
  assert.equal(row.last_used_at, null);
  await bearer(t.token).get('/api/v1/me');
  row = (await boss.get('/api/v1/me/tokens')).body.items.find((i) => i.id === t.id);
  assert.ok(row.last_used_at > 0);
});

test("users cannot revoke someone else's token; an administrator can", async () => {
  const clerk = await srv.login('clerk', PASSWORD);
  const t = await makeToken(clerk, 'staff');
  assert.equal((await boss.delete(`/api/v1/me/tokens/${t.id}`)).status, 404, 'not one of boss\'s tokens');
  assert.equal((await bearer(t.token).get('/api/v1/me')).status, 200);
  const clerkId = clerk.me.id;
  assert.equal((await clerk.delete(`/api/v1/users/${clerkId}/tokens/${t.id}`)).status, 403);
  assert.equal((await boss.delete(`/api/v1/users/${clerkId}/tokens/${t.id}`)).status, 204);
  assert.equal((await bearer(t.token).get('/api/v1/me')).status, 401);
  const detail = await boss.get(`/api/v1/users/${clerkId}`);
  assert.ok(detail.body.tokens.find((i) => i.id === t.id).revoked_at > 0);
});

test('a token stops working when its owner loses its role or is disabled', async () => {
  const keeper = await srv.login('keeper', PASSWORD);
  const clerk = await srv.login('clerk', PASSWORD);
  const t = bearer((await makeToken(clerk, 'staff')).token);
  assert.equal((await t.get('/api/v1/me')).status, 200);
  const id = clerk.me.id;
  let u = (await keeper.get(`/api/v1/users/${id}`)).body;
  let res = await keeper.patch(`/api/v1/users/${id}`, { version: u.version, roles: [{ role: 'liaison' }] });
  assert.equal(res.status, 200, res.text);
  assert.equal((await t.get('/api/v1/me')).status, 401, 'the owner no longer holds staff');
  res = await keeper.patch(`/api/v1/users/${id}`, { version: res.body.version, roles: [{ role: 'staff' }] });
  assert.equal((await t.get('/api/v1/me')).status, 200, 'staff again');
  res = await keeper.patch(`/api/v1/users/${id}`, { version: res.body.version, status: 'disabled' });
  assert.equal(res.status, 200);
  assert.equal((await t.get('/api/v1/me')).status, 401, 'a disabled owner');
});
