// The optional TOTP second factor. Codes are computed here from RFC 6238 (HMAC-SHA1,
// 6 digits, 30 s) with node's crypto, independently of the server's liboath.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer } from './harness.mjs';

let srv;
let admin;
const PASSWORD = 'Secret2026x';
before(async () => {
  srv = await startServer({ env: { TONGXIN_LOGIN_MAX_FAILURES: '3' } });
  for (const [name, roles] of [['boss', 'admin'], ['amy', 'staff'], ['bea', 'staff'], ['cyd', 'supervisor'], ['dim', 'staff'], ['eda', 'resident'], ['fay', 'staff']]) {
    const r = srv.cli(['user', 'add', name, '--name', name, '--role', roles, '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
  }
  admin = await srv.login('boss', PASSWORD);
});
after(async () => { await srv.stop(); });

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1e6).padStart(6, '0');
}

// The current time step, after waiting out the last seconds of a step so that the server
// computes the same one.
async function currentStep() {
  const s = Date.now() / 1000;
  if (s % 30 > 25) await new Promise((r) => setTimeout(r, (30 - (s % 30)) * 1000 + 100));
  return Math.floor(Date.now() / 1000 / 30);
}

const signIn = (username, extra = {}) => srv.client().post('/api/v1/session', { username, password: PASSWORD, ...extra });

/** Turns TOTP on for a user; returns the secret and the step of the confirming code. */
async function enrol(username) {
  const c = await srv.login(username, PASSWORD);
  const start = await c.post('/api/v1/me/totp');
  assert.equal(start.status, 200, start.text);
  const step = await currentStep();
  const ok = await c.post('/api/v1/me/totp/confirm', { code: totp(start.body.secret, step - 1) });
  assert.equal(ok.status, 204, ok.text);
  return { client: c, secret: start.body.secret, step: step - 1 };
}

test('enrolling gives a secret and an otpauth URI, active only once a right code confirms it', async () => {
  const c = await srv.login('amy', PASSWORD);
  const start = await c.post('/api/v1/me/totp');
  assert.equal(start.status, 200);
  assert.match(start.body.secret, /^[A-Z2-7]{32}$/);
  assert.equal(start.body.otpauth_uri,
    `otpauth://totp/Tongxin:amy?secret=${start.body.secret}&issuer=Tongxin&algorithm=SHA1&digits=6&period=30`);
  assert.equal((await signIn('amy')).status, 200, 'pending: not asked for yet');
  const step = await currentStep();
  const wrong = await c.post('/api/v1/me/totp/confirm', { code: totp(start.body.secret, step + 5) });
  assert.equal(wrong.status, 422);
  assert.deepEqual(wrong.body.errors.map((e) => e.field), ['code']);
  assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(start.body.secret, step) })).status, 204);
  assert.equal((await c.get('/api/v1/me')).body.totp_enabled, true);
  assert.equal((await c.post('/api/v1/me/totp')).status, 409, 'already on');
});

test('with TOTP on, signing in without a code is 401 totp_required and makes no session', async () => {
  await enrol('bea');
  const res = await signIn('bea');
  assert.equal(res.status, 401);
  assert.equal(res.body.code, 'totp_required');
  assert.equal(res.setCookie, null);
  const wrongPassword = await srv.client().post('/api/v1/session', { username: 'bea', password: 'nope-1234' });
  assert.equal(wrongPassword.body.code, 'invalid_credentials', 'a wrong password says nothing about the factor');
});

test('the right code signs in (one step either side), a wrong or reused code is refused', async () => {
  const { secret, step } = await enrol('cyd');
  const now = await currentStep();
  const wrong = await signIn('cyd', { totp: totp(secret, now + 3) });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.code, 'invalid_credentials');
  const ok = await signIn('cyd', { totp: totp(secret, now) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await signIn('cyd', { totp: totp(secret, now) })).status, 401, 'a code works once');
  assert.equal((await signIn('cyd', { totp: totp(secret, step) })).status, 401, 'older than the last one used');
  assert.equal((await signIn('cyd', { totp: totp(secret, now + 1) })).status, 200, 'one step ahead (clock drift)');
});

test('wrong codes count as failed sign-ins for throttling', async () => {
  const { secret } = await enrol('dim');
  const now = await currentStep();
  for (let i = 0; i < 3; i++) assert.equal((await signIn('dim', { totp: totp(secret, now + 5) })).status, 401);
  const res = await signIn('dim', { totp: totp(secret, now) });
  assert.equal(res.status, 429);
  assert.equal(res.body.code, 'too_many_requests');
});

test('turning TOTP off needs a right code or the password', async () => {
  const { client, secret } = await enrol('eda');
  const wrong = await client.delete('/api/v1/me/totp', { password: 'not-it-123' });
  assert.equal(wrong.status, 422);
  assert.deepEqual(wrong.body.errors.map((e) => e.field), ['password']);
  assert.equal((await client.delete('/api/v1/me/totp', {})).status, 422);
  assert.equal((await client.delete('/api/v1/me/totp', { password: PASSWORD })).status, 204);
  assert.equal((await signIn('eda')).status, 200);
  assert.equal((await client.delete('/api/v1/me/totp', { password: PASSWORD })).status, 409, 'already off');
  // on again, then off with a code
  const start = await client.post('/api/v1/me/totp');
  const step = await currentStep();
  assert.equal((await client.post('/api/v1/me/totp/confirm', { code: totp(start.body.secret, step - 1) })).status, 204);
  assert.notEqual(start.body.secret, secret, 'a new secret each time');
  assert.equal((await client.delete('/api/v1/me/totp', { code: totp(start.body.secret, step) })).status, 204);
  assert.equal((await signIn('eda')).status, 200);
});

test('an administrator can turn off a lost second factor, but not turn one on', async () => {
  const { client } = await enrol('fay');
  const id = client.me.id;
  let u = (await admin.get(`/api/v1/users/${id}`)).body;
  assert.equal(u.totp_enabled, true);
  const on = await admin.patch(`/api/v1/users/${id}`, { version: u.version, totp_enabled: true }, { invalid: true });
  assert.equal(on.status, 422);
  const off = await admin.patch(`/api/v1/users/${id}`, { version: u.version, totp_enabled: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.totp_enabled, false);
  assert.equal((await signIn('fay')).status, 200);
});
