// Changing one's own password, and the administrator's reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './harness.mjs';

let srv;
let admin;
const PASSWORD = 'Secret2026x';
before(async () => {
  srv = await startServer();
  for (const [name, roles] of [['boss', 'admin'], ['ann', 'staff'], ['ben', 'staff'], ['cat', 'liaison'], ['dan', 'staff']]) {
    const r = srv.cli(['user', 'add', name, '--name', name, '--role', roles, '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
  }
  admin = await srv.login('boss', PASSWORD);
});
after(async () => { await srv.stop(); });

const signIn = (username, password) => srv.client().post('/api/v1/session', { username, password });

test('changing my password: the old one stops working, my other sessions end, this one stays', async () => {
  const here = await srv.login('ann', PASSWORD);
  const elsewhere = await srv.login('ann', PASSWORD);
  const res = await here.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'Fresh2026y' });
  assert.equal(res.status, 204, res.text);
  assert.equal((await here.get('/api/v1/me')).status, 200);
  assert.equal((await elsewhere.get('/api/v1/me')).status, 401);
  assert.equal((await signIn('ann', PASSWORD)).status, 401);
  const again = await signIn('ann', 'Fresh2026y');
  assert.equal(again.status, 200);
  assert.equal(again.body.user.must_change_password, false);
});

test('a wrong current password is a field error and changes nothing', async () => {
  const c = await srv.login('ben', PASSWORD);
  const res = await c.post('/api/v1/me/password', { current_password: 'not-it-123', new_password: 'short' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['current_password', 'new_password']);
  assert.equal((await signIn('ben', PASSWORD)).status, 200);
});

test('the new password must follow the rules and differ from the current one', async () => {
  const c = await srv.login('ben', PASSWORD);
  for (const bad of ['short1', 'lettersonly', PASSWORD]) {
    const res = await c.post('/api/v1/me/password', { current_password: PASSWORD, new_password: bad });
    assert.equal(res.status, 422, bad);
    assert.deepEqual(res.body.errors.map((e) => e.field), ['new_password']);
  }
  const missing = await c.post('/api/v1/me/password', {}, { invalid: true });
  assert.deepEqual(missing.body.errors.map((e) => e.field).sort(), ['current_password', 'new_password']);
});

test('an API token cannot change the password', async () => {
  const c = await srv.login('dan', PASSWORD);
  const t = await c.post('/api/v1/me/tokens', { name: 'ci', role: 'staff' });
  const bearer = new Client(srv.base);
  bearer.token = t.body.token;
  const res = await bearer.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'Other2026z' });
  assert.equal(res.status, 403);
  assert.equal((await signIn('dan', PASSWORD)).status, 200);
});

test("an administrator's reset: old password refused, sessions end, a change is required", async () => {
  const victim = await srv.login('cat', PASSWORD);
  const id = victim.me.id;
  const res = await admin.post(`/api/v1/users/${id}/password`, { new_password: 'Reset2026q' });
  assert.equal(res.status, 204, res.text);
  assert.equal((await victim.get('/api/v1/me')).status, 401);
  assert.equal((await signIn('cat', PASSWORD)).status, 401);
  const after = await signIn('cat', 'Reset2026q');
  assert.equal(after.status, 200);
  assert.equal(after.body.user.must_change_password, true);
  // until then the account can do nothing but see itself and change the password
  const c = await srv.login('cat', 'Reset2026q');
  const blocked = await c.get('/api/v1/orgs');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.detail, '管理员已重置您的密码，请先设置自己的新密码');
  // changing it clears the flag
  assert.equal((await c.post('/api/v1/me/password', { current_password: 'Reset2026q', new_password: 'Mine2026r' })).status, 204);
  assert.equal((await c.get('/api/v1/me')).body.must_change_password, false);
  assert.equal((await c.get('/api/v1/orgs')).status, 200);
});

test('a reset checks the new password and the user, and only administrators may do it', async () => {
  const staff = await srv.login('ben', PASSWORD);
  const benId = staff.me.id;
  assert.equal((await admin.post(`/api/v1/users/${benId}/password`, { new_password: 'weak' })).status, 422);
  assert.equal((await admin.post('/api/v1/users/999999/password', { new_password: 'Reset2026q' })).status, 404);
  assert.equal((await staff.post(`/api/v1/users/${benId}/password`, { new_password: 'Reset2026q' })).status, 403);
  assert.equal((await signIn('ben', PASSWORD)).status, 200);
});
