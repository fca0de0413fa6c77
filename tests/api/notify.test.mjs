// Notifications as a user meets them: the bell's unread count, the list in their own language,
// marking read, and new notifications arriving live over Server-Sent Events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './harness.mjs';

let srv;
let member;
let orgadmin;
// The demo's meetings, announcements and dockings already notify its accounts; these tests
// start from a user nobody has told anything yet.
const NEWCOMER = 'newcomer';
before(async () => {
  srv = await startServer({ demo: 10 });
  const add = srv.cli(['user', 'add', NEWCOMER, '--name', '新来的', '--role', 'org_member', '--org',
    String((await srv.login('member')).me.member_org_ids[0]), '--password-stdin'], { input: 'Newcomer@2026\n' });
  assert.equal(add.status, 0, add.stderr);
  member = await srv.login(NEWCOMER, 'Newcomer@2026');
  orgadmin = await srv.login('orgadmin');
});
after(async () => { await srv.stop(); });

function send(user, message, count = 1) {
  const r = srv.cli(['notify', 'test', user, '--message', message, '--count', String(count)]);
  assert.equal(r.status, 0, r.stderr);
}

/** Opens the stream as `client`; returns { events, ready, close() }; events fill as they come. */
function openStream(client, headers = {}, path = '/api/v1/notifications/stream') {
  const url = new URL(srv.base + path);
  const events = [];
  let buffer = '';
  let req;
  const ready = new Promise((resolve, reject) => {
    req = http.get(url, { headers: { Accept: 'text/event-stream', Cookie: client.cookie, ...headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev = { at: Date.now() };
          for (const line of block.split('\n')) {
            const m = line.match(/^(\w+): ?(.*)$/);
            if (m) ev[m[1]] = m[2];
          }
          if (ev.data) ev.json = JSON.parse(ev.data);
          events.push(ev);
          if (ev.event === 'ready') resolve(res);
        }
      });
    });
    req.on('error', reject);
  });
  return { events, ready, close: () => req.destroy() };
}

async function until(fn, ms = 3000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return fn();
}

test('a new user has no notifications and an unread count of zero', async () => {
  const c = await member.get('/api/v1/notifications/unread-count');
  assert.equal(c.status, 200);
  assert.equal(c.body.unread_count, 0);
  const list = await member.get('/api/v1/notifications');
  assert.deepEqual(list.body.items, []);
  assert.equal(list.body.total, 0);
});

test('a notification is listed newest first, rendered in the reader\'s language with its parameters', async () => {
  send(NEWCOMER, '第一条');
  send(NEWCOMER, 'second');
  const zh = await member.get('/api/v1/notifications');
  assert.equal(zh.status, 200);
  assert.equal(zh.body.total, 2);
  assert.equal(zh.body.unread_count, 2);
  assert.match(zh.body.items[0].text, /^测试通知 #1：系统 \(命令行\) 向您发送了一条测试消息。second$/);
  assert.match(zh.body.items[1].text, /第一条$/);
  assert.ok(zh.body.items[0].id > zh.body.items[1].id);
  assert.equal(zh.body.items[0].read, false);
  assert.equal(zh.body.items[0].link, '/notifications');
  const en = await member.get('/api/v1/notifications', { lang: 'en' });
  assert.match(en.body.items[0].text, /^Test notification #1: .* sent you a test message\. second$/);
});

test('paging and the unread filter', async () => {
  const p = await member.get('/api/v1/notifications?per_page=1&page=2');
  assert.equal(p.body.items.length, 1);
  assert.match(p.body.items[0].text, /第一条/);
  const bad = await member.get('/api/v1/notifications?unread=2&per_page=0');
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['per_page', 'unread']);
});

test('marking one read lowers the count; marking again is harmless', async () => {
  const list = await member.get('/api/v1/notifications');
  const id = list.body.items[1].id;
  const r = await member.post(`/api/v1/notifications/${id}/read`);
  assert.equal(r.status, 200);
  assert.equal(r.body.unread_count, 1);
  assert.equal((await member.post(`/api/v1/notifications/${id}/read`)).body.unread_count, 1);
  const unread = await member.get('/api/v1/notifications?unread=1');
  assert.equal(unread.body.total, 1);
  assert.notEqual(unread.body.items[0].id, id);
  const again = await member.get('/api/v1/notifications');
  assert.equal(again.body.items[1].read, true);
  assert.ok(again.body.items[1].read_at > 0);
});

test('nobody sees or marks another user\'s notifications', async () => {
  const mine = await member.get('/api/v1/notifications?unread=1');
  const id = mine.body.items[0].id;
  const theirs = (await orgadmin.get('/api/v1/notifications?per_page=200')).body.items;
  assert.ok(!theirs.some((n) => n.id === id), 'another user\'s notification is not in the list');
  const r = await orgadmin.post(`/api/v1/notifications/${id}/read`);
  assert.equal(r.status, 404);
  assert.equal((await member.get('/api/v1/notifications/unread-count')).body.unread_count, 1);
  const marked = (await orgadmin.post('/api/v1/notifications/read-all')).body.marked;
  assert.equal(marked, theirs.filter((n) => !n.read_at).length, 'read-all marks only their own');
  assert.equal((await member.get('/api/v1/notifications/unread-count')).body.unread_count, 1);
});

test('read-all marks every unread one', async () => {
  send(NEWCOMER, 'x', 3);
  const r = await member.post('/api/v1/notifications/read-all');
  assert.equal(r.status, 200);
  assert.equal(r.body.marked, 4);
  assert.equal((await member.get('/api/v1/notifications/unread-count')).body.unread_count, 0);
});

test('the stream needs Accept: text/event-stream and a signed-in user', async () => {
  const plain = await member.get('/api/v1/notifications/stream');
  assert.equal(plain.status, 400);
  assert.match(plain.body.detail, /text\/event-stream/);
  const anon = await srv.client().get('/api/v1/notifications/stream', { headers: { Accept: 'text/event-stream' } });
  assert.equal(anon.status, 401);
  const bad = await member.get('/api/v1/notifications/stream', { headers: { Accept: 'text/event-stream', 'Last-Event-ID': 'abc' } });
  assert.equal(bad.status, 400);
});

test('a notification committed elsewhere reaches the open stream within a second, with the new count', async () => {
  const s = openStream(member);
  const res = await s.ready;
  assert.match(res.headers['content-type'], /^text\/event-stream/);
  assert.equal(s.events[0].json.unread_count, 0);
  const other = openStream(orgadmin);
  await other.ready;
  const t0 = Date.now();
  send(NEWCOMER, '实时');
  const ev = await until(() => s.events.find((e) => e.event === 'notification'));
  assert.ok(ev, 'the notification arrived');
  assert.ok(ev.at - t0 < 1000 + 200, `arrived in ${ev.at - t0} ms`);
  assert.match(ev.json.item.text, /实时$/);
  assert.equal(ev.json.unread_count, 1);
  assert.equal(Number(ev.id), ev.json.item.id);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(other.events.filter((e) => e.event === 'notification').length, 0, 'another user hears nothing');
  s.close();
  other.close();
});

test('Last-Event-ID catches up on what was missed while disconnected', async () => {
  const last = (await member.get('/api/v1/notifications?per_page=1')).body.items[0].id;
  send(NEWCOMER, '离线一');
  send(NEWCOMER, '离线二');
  const s = openStream(member, { 'Last-Event-ID': String(last) });
  await s.ready;
  const got = await until(() => {
    const n = s.events.filter((e) => e.event === 'notification');
    return n.length >= 2 ? n : null;
  });
  assert.ok(got, 'both missed notifications were sent');
  assert.deepEqual(got.map((e) => e.json.item.text.slice(-3)), ['离线一', '离线二']);
  assert.equal(got[1].json.unread_count, 3);
  s.close();
});

test('many notifications at once all arrive, in order, exactly once', async () => {
  const s = openStream(member);
  await s.ready;
  send(NEWCOMER, 'burst', 120);
  const got = await until(() => {
    const n = s.events.filter((e) => e.event === 'notification');
    return n.length >= 120 ? n : null;
  }, 5000);
  assert.ok(got, 'all 120 arrived');
  const seqs = got.map((e) => e.json.item.id);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, 120);
  s.close();
});
