// Time passes: the data of these tests is written now, then the same database is served (and
// its periodic tasks run) hours, days or weeks later, through the program's clock offset
// (TONGXIN_CLOCK_OFFSET, src/lib/clock.h). A real server meets this every morning; a test that
// runs seconds after its writes never does. Covered: suggestions and the matching cache on a
// quiet server, sessions' idle and absolute timeouts, overdue liaison contacts and follow-ups,
// overdue action items, expiry of needs, the notification digest, every periodic task.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serve, Client, DEMO_PASSWORD } from './harness.mjs';

const HOUR = 3600;
const DAY = 86400;
let srv; // the server that wrote the data, at today's time
let later = null; // the same database served later: { child, base }

before(async () => { srv = await startServer({ demo: 30 }); });
after(async () => {
  await stopLater();
  await srv.stop();
});

async function stopLater() {
  if (!later) return;
  const exited = new Promise((r) => later.child.once('exit', r));
  later.child.kill('SIGTERM');
  await exited;
  later = null;
}

/** Serves the test database `seconds` from now (the first server is stopped meanwhile, so
 * only one process writes). Returns a client factory for it. */
async function serveLater(seconds) {
  await stopLater();
  if (srv.child.exitCode === null) {
    const exited = new Promise((r) => srv.child.once('exit', r));
    srv.child.kill('SIGTERM');
    await exited;
  }
  later = await serve(srv.db.url, { env: { TONGXIN_CLOCK_OFFSET: String(seconds) } });
  return later;
}

async function signIn(base, username) {
  const c = new Client(base);
  const res = await c.post('/api/v1/session', { username, password: DEMO_PASSWORD });
  assert.equal(res.status, 200, res.text);
  c.cookie = res.setCookie.split(';')[0];
  c.csrf = res.body.csrf_token;
  return c;
}

/** Runs one periodic task at `seconds` from now, as the command line would. */
function taskLater(name, seconds) {
  const r = srv.cli(['tasks', 'run', name], { env: { TONGXIN_CLOCK_OFFSET: String(seconds) } });
  assert.equal(r.status, 0, `${name}: ${r.stderr}`);
  const m = new RegExp(`${name.replace('.', '\\.')}: (\\d+)`).exec(r.stdout);
  return m ? Number(m[1]) : 0;
}

test('a day later, with nothing written since, suggestions answer for needs and resources', async () => {
  const s = await serveLater(DAY);
  const staff = await signIn(s.base, 'staff');
  const need = (await staff.get('/api/v1/needs?per_page=1')).body.items[0];
  const resource = (await staff.get('/api/v1/resources?per_page=1')).body.items[0];
  for (const path of [`/api/v1/needs/${need.id}/suggestions`, `/api/v1/resources/${resource.id}/suggestions`]) {
    const res = await staff.get(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.ok(Array.isArray(res.body.suggestions));
  }
  // the cached index is now a day older than the data: a write shows at once all the same
  const orgadmin = await signIn(s.base, 'orgadmin');
  const own = (await orgadmin.get('/api/v1/me')).body.org_ids[0];
  const created = await orgadmin.post('/api/v1/resources', {
    org_id: own, title: '社区活动室（周末开放）', category: 'venue', quantity: 60, unit: 'm2',
  });
  assert.equal(created.status, 201, created.text);
  const again = await staff.get(`/api/v1/needs/${need.id}/suggestions`);
  assert.equal(again.status, 200);
  assert.equal((await fetch(`${s.base}/healthz`)).status, 200, 'the server is still alive');
});

test('a session ends after two idle hours, and after twelve hours however busy', async () => {
  let s = await serveLater(0);
  const idle = await signIn(s.base, 'member');
  const busy = await signIn(s.base, 'resident');
  s = await serveLater(2 * HOUR + 60);
  idle.base = s.base;
  busy.base = s.base;
  assert.equal((await idle.get('/api/v1/me')).status, 401, 'idle for two hours');
  // busy: a request every 100 minutes keeps the session until its twelve hours are up
  for (let at = 100 * 60; at < 12 * HOUR; at += 100 * 60) {
    s = await serveLater(at);
    busy.base = s.base;
    assert.equal((await busy.get('/api/v1/me')).status, 200, `still signed in after ${at / 60} minutes`);
  }
  s = await serveLater(12 * HOUR + 60);
  busy.base = s.base;
  const ended = await busy.get('/api/v1/me');
  assert.equal(ended.status, 401, 'the absolute timeout');
  assert.equal(ended.headers.get('content-type').split(';')[0], 'application/problem+json');
});

test('liaison: organizations and follow-ups become overdue as time passes, with no write', async () => {
  let s = await serveLater(0);
  let staff = await signIn(s.base, 'staff');
  const countNow = (await staff.get('/api/v1/liaison/overdue/orgs?per_page=1')).body.total;
  const followupsNow = (await staff.get('/api/v1/liaison/overdue/followups?per_page=1')).body.total;
  s = await serveLater(400 * DAY); // past every contact-frequency rule
  staff = await signIn(s.base, 'staff');
  const orgsLater = await staff.get('/api/v1/liaison/overdue/orgs?per_page=1');
  assert.equal(orgsLater.status, 200);
  assert.ok(orgsLater.body.total > countNow, `overdue organizations ${countNow} -> ${orgsLater.body.total}`);
  const followupsLater = (await staff.get('/api/v1/liaison/overdue/followups?per_page=1')).body.total;
  assert.ok(followupsLater >= followupsNow, `overdue follow-ups ${followupsNow} -> ${followupsLater}`);
  await stopLater();
  assert.ok(taskLater('liaison.reminders', 400 * DAY) > 0, 'the reminder task finds overdue work');
  assert.equal(taskLater('liaison.reminders', 400 * DAY + 60), 0, 'and reminds each once');
});

test('an action item due next week is overdue a fortnight later, and its owner is told once', async () => {
  let s = await serveLater(0);
  const staff = await signIn(s.base, 'staff');
  const orgs = (await staff.get('/api/v1/orgs?per_page=1&sort=created')).body.items;
  const meetings = (await staff.get('/api/v1/meetings?per_page=5')).body.items;
  const occ = (await staff.get(`/api/v1/meetings/${meetings[0].id}/occurrences`)).body.items[0];
  const due = new Date(Date.now() + 8 * HOUR * 1000 + 7 * DAY * 1000).toISOString().slice(0, 10);
  const act = await staff.post(`/api/v1/occurrences/${occ.id}/actions`, { title: '提交年度服务计划', due_on: due, owner_org_id: orgs[0].id });
  assert.equal(act.status, 201, act.text);
  assert.equal(act.body.overdue, false);
  s = await serveLater(14 * DAY);
  const staffLater = await signIn(s.base, 'staff');
  const list = await staffLater.get('/api/v1/meeting-actions?overdue=1&per_page=100');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((a) => a.id === act.body.id), 'listed as overdue');
  await stopLater();
  assert.ok(taskLater('meetings.overdue', 14 * DAY) >= 1);
  assert.equal(taskLater('meetings.overdue', 14 * DAY + 60), 0, 'each item is reminded once');
});

test('a need whose window ends in ten days is open until then and expired after', async () => {
  const s = await serveLater(0);
  const orgadmin = await signIn(s.base, 'orgadmin');
  const own = (await orgadmin.get('/api/v1/me')).body.org_ids[0];
  const now = Math.floor(Date.now() / 1000);
  const item = await orgadmin.post('/api/v1/needs', {
    org_id: own, title: '暑期托管志愿者', category: 'volunteers', quantity: 4, unit: 'people', end_at: now + 10 * DAY,
  });
  assert.equal(item.status, 201, item.text);
  await stopLater();
  taskLater('resources.expire', 9 * DAY);
  let check = await serveLater(9 * DAY);
  let c = await signIn(check.base, 'orgadmin');
  assert.equal((await c.get(`/api/v1/needs/${item.body.id}`)).body.status, 'open', 'nine days later');
  await stopLater();
  assert.ok(taskLater('resources.expire', 11 * DAY) >= 1);
  check = await serveLater(11 * DAY);
  c = await signIn(check.base, 'orgadmin');
  assert.equal((await c.get(`/api/v1/needs/${item.body.id}`)).body.status, 'expired', 'eleven days later');
});

test('the daily digest a day later collects what waited, once', async () => {
  const s = await serveLater(0);
  const member = await signIn(s.base, 'member');
  const admin = await signIn(s.base, 'admin');
  const id = (await member.get('/api/v1/me')).body.id;
  const u = await admin.get(`/api/v1/users/${id}`);
  const mail = await admin.patch(`/api/v1/users/${id}`, { version: u.body.version, email: 'member@tongxin.test' });
  assert.equal(mail.status, 200, mail.text);
  // e-mail is queued only where a mail server is set (nothing is sent: the delivery task
  // does not run here)
  const smtp = await admin.put('/api/v1/notify/smtp', { host: '127.0.0.1', port: 2525, tls: 'none', from: 'noreply@tongxin.test' });
  assert.equal(smtp.status, 200, smtp.text);
  assert.equal((await member.put('/api/v1/me/notification-preferences', { email_mode: 'digest' })).status, 200);
  await stopLater();
  for (const text of ['摘要一', '摘要二']) {
    const r = srv.cli(['notify', 'test', 'member', '--message', text]);
    assert.equal(r.status, 0, r.stderr);
  }
  const waiting = () => Number(srv.sql("SELECT COUNT(*) FROM notify_outbox WHERE state = 'digest'"));
  assert.ok(waiting() >= 2, 'the notifications wait for the digest');
  assert.ok(taskLater('notify.digest', DAY) >= 1, 'a day later the digest is made');
  assert.equal(waiting(), 0, 'nothing is left waiting');
  assert.equal(taskLater('notify.digest', DAY + 60), 0, 'and nothing is digested twice');
});

test('every periodic task runs a month later without an error, and the server then answers', async () => {
  await stopLater();
  for (const name of ['registry.grades', 'liaison.reminders', 'meetings.horizon', 'meetings.overdue',
    'resources.expire', 'notify.digest', 'notify.deliver', 'matching.runs']) {
    taskLater(name, 31 * DAY);
  }
  const s = await serveLater(31 * DAY);
  const admin = await signIn(s.base, 'admin');
  assert.equal((await admin.get('/api/v1/audit/verify')).status, 200);
  assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
});
