// One account cannot lock everyone out with live notification streams (issue 12 §5): an
// account keeps its newest few streams (older ones are told "superseded" and end), one client
// address and the whole server have a ceiling, and while they are full other users still sign
// in and read, and /healthz answers. Behind the trusted proxy the client is the real one.
// Limits are lowered for the test: 4 per account (the default), 6 per client, 12 in all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './harness.mjs';

let srv;
const PASSWORD = 'Secret2026x';
const USERS = ['res_a', 'res_b', 'res_c', 'res_d', 'res_e'];
const sessions = {};
const open = [];
before(async () => {
  srv = await startServer({
    args: ['--trusted-proxy', '127.0.0.1'],
    env: { TONGXIN_STREAMS_PER_CLIENT: '6', TONGXIN_STREAMS_MAX: '12' },
  });
  for (const u of USERS) {
    const r = srv.cli(['user', 'add', u, '--name', `居民${u}`, '--role', 'resident', '--password', PASSWORD]);
    assert.equal(r.status, 0, r.stderr);
  }
  for (const u of USERS.slice(0, 4)) sessions[u] = await srv.login(u, PASSWORD);
});
after(async () => {
  for (const s of open) s.close();
  await srv.stop();
});

/** Opens a stream as `client` (from `addr` via the proxy, if given). Resolves once the reply
 * starts: { status, events, ended (a promise), close() }. */
function stream(client, addr) {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'text/event-stream', Cookie: client.cookie };
    if (addr) headers['X-Forwarded-For'] = addr;
    const events = [];
    let buffer = '';
    let endedResolve;
    const ended = new Promise((r) => { endedResolve = r; });
    const req = http.get(`${srv.base}/api/v1/notifications/stream`, { headers }, (res) => {
      const s = { status: res.status || res.statusCode, headers: res.headers, events, ended, close: () => req.destroy() };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const ev = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const m = line.match(/^(\w+): ?(.*)$/);
            if (m) ev[m[1]] = m[2];
          }
          buffer = buffer.slice(end + 2);
          events.push(ev);
          if (ev.event === 'ready') resolve(s);
        }
      });
      res.on('end', () => endedResolve(true));
      res.on('close', () => endedResolve(true));
      if (s.status !== 200) res.on('end', () => resolve({ ...s, body: JSON.parse(buffer) }));
      else open.push(s);
    });
    req.on('error', (e) => { endedResolve(true); reject(e); });
  });
}

const within = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r(false), ms))]);

async function othersStillServed(addr) {
  const opts = addr ? { headers: { 'X-Forwarded-For': addr } } : {};
  const health = await srv.client().get('/healthz', opts);
  assert.equal(health.status, 200, 'health answers');
  const c = srv.client();
  const signin = await c.post('/api/v1/session', { username: 'res_e', password: PASSWORD }, opts);
  assert.equal(signin.status, 200, `another user signs in: ${signin.text}`);
  c.cookie = signin.setCookie.split(';')[0];
  const list = await c.get('/api/v1/notifications', opts);
  assert.equal(list.status, 200, 'and reads');
}

test('an account that opens ten streams keeps its newest four; the older ones are told and end', async () => {
  const streams = [];
  for (let i = 0; i < 10; i++) streams.push(await stream(sessions.res_a));
  for (const s of streams) assert.equal(s.status, 200);
  for (const s of streams.slice(0, 6)) {
    assert.ok(await within(s.ended, 5000), 'a superseded stream ends');
    const last = s.events[s.events.length - 1];
    assert.equal(last.event, 'closed');
    assert.deepEqual(JSON.parse(last.data), { reason: 'superseded' });
  }
  // the newest four are alive: a notification reaches each of them
  const r = srv.cli(['notify', 'test', 'res_a', '--message', '仍在线']);
  assert.equal(r.status, 0, r.stderr);
  for (const s of streams.slice(6)) {
    const t0 = Date.now();
    while (!s.events.some((e) => e.event === 'notification') && Date.now() - t0 < 3000) {
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(s.events.some((e) => e.event === 'notification'), 'a kept stream still delivers');
  }
  await othersStillServed();
});

test('one client address holds at most its share of streams; another address and other requests still pass', async () => {
  const here = '198.51.100.9';
  for (let i = 0; i < 4; i++) assert.equal((await stream(sessions.res_b, here)).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await stream(sessions.res_c, here)).status, 200);
  const refused = await stream(sessions.res_c, here);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.detail, '来自您所在网络地址的实时通知连接已达上限，请关闭部分页面后再试');
  assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After');
  // the same account from another client behind the proxy is a different client
  assert.equal((await stream(sessions.res_c, '198.51.100.10')).status, 200);
  await othersStillServed(here);
});

test('when the server holds all the streams it may, new ones wait and everything else answers', async () => {
  // 4 (res_a) + 6 (198.51.100.9) + 1 (198.51.100.10) = 11 of 12
  assert.equal((await stream(sessions.res_d, '203.0.113.1')).status, 200);
  const full = await stream(sessions.res_d, '203.0.113.2');
  assert.equal(full.status, 429);
  assert.equal(full.body.code, 'too_many_requests');
  // an account at its own limit may still swap its oldest stream for a new one
  const swapped = await stream(sessions.res_a);
  assert.equal(swapped.status, 200);
  await othersStillServed();
});
