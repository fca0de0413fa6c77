// Behind a reverse proxy (--trusted-proxy), the client address comes from X-Forwarded-For:
// one client's failed sign-ins throttle that client, not everyone behind the proxy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
const PASSWORD = 'Secret2026x';
before(async () => {
  srv = await startServer({
    args: ['--trusted-proxy', '127.0.0.1'],
    env: { TONGXIN_LOGIN_MAX_ADDRESS_FAILURES: '3', TONGXIN_LOGIN_MAX_FAILURES: '50' },
  });
  const r = srv.cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
});
after(async () => { await srv.stop(); });

const from = (addr) => ({ headers: { 'X-Forwarded-For': addr } });

test('failed sign-ins from one client behind the proxy do not lock out another', async () => {
  const c = srv.client();
  for (let i = 0; i < 3; i++) {
    const r = await c.post('/api/v1/session', { username: `ghost${i}`, password: 'wrong-pass-1' }, from('203.0.113.7'));
    assert.equal(r.status, 401);
  }
  const blocked = await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('203.0.113.7'));
  assert.equal(blocked.status, 429);
  const other = await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('203.0.113.8'));
  assert.equal(other.status, 200, other.text);
});

test('the proxy\'s last X-Forwarded-For entry counts, not one the client made up', async () => {
  const c = srv.client();
  for (let i = 0; i < 3; i++) {
    await c.post('/api/v1/session', { username: `ghost${i}`, password: 'wrong-pass-1' }, from('198.51.100.1'));
  }
  assert.equal((await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('198.51.100.1'))).status, 429);
  // the client claims to be 198.51.100.1; the proxy appended the address it really saw
  const r = await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('198.51.100.1, 203.0.113.10'));
  assert.equal(r.status, 200, r.text);
});

test('an X-Forwarded-For entry that is not an IP address is ignored: the proxy\'s address counts', async () => {
  // Made-up names would each be a fresh throttling key; they all fall back to the peer
  // (127.0.0.1 here), so three failures under three names throttle that one address.
  const c = srv.client();
  for (const fake of ['unknown', 'evil.example', '1.2.3.4.5']) {
    const r = await c.post('/api/v1/session', { username: 'ghost', password: 'wrong-pass-1' }, from(fake));
    assert.equal(r.status, 401);
  }
  const peer = await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('127.0.0.1'));
  assert.equal(peer.status, 429, 'the failures were counted against the proxy\'s own address');
  // an IPv6 client is a real address, written canonically, and is not throttled
  const v6 = await c.post('/api/v1/session', { username: 'boss', password: PASSWORD }, from('2001:DB8::0:1'));
  assert.equal(v6.status, 200, v6.text);
});
