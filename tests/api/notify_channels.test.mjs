// Group robots and e-mail: what the receivers get, exactly (formats and signatures as in
// DOMAIN.md), masked secrets, retries, the failed-delivery view, preferences and the digest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer } from './harness.mjs';
import { robotReceiver, smtpReceiver, testRobotHosts, until } from './notify_receivers.mjs';

let srv;
let admin;
let staff;
let member;
let rx;
before(async () => {
  rx = await robotReceiver();
  srv = await startServer({ demo: 10, env: testRobotHosts(rx) });
  admin = await srv.login('admin');
  staff = await srv.login('staff');
  member = await srv.login('member');
});
after(async () => { await rx.close(); await srv.stop(); });

const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg).digest('base64');

async function robot(body) {
  const res = await admin.post('/api/v1/notify/webhooks', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

function postsTo(path) { return rx.requests.filter((r) => r.url.startsWith(path)); }

test('a WeCom robot receives the text message format, and its key is never shown in full', async () => {
  const r = await robot({ name: '企业微信群', kind: 'wecom', url: rx.url('/wecom/send?key=abcdef123456'), scope: 'board:1' });
  assert.equal(r.url, `http://127.0.0.1:${rx.port}/wecom/send?key=abcd****`);
  assert.equal(r.secret_set, false);
  const list = await staff.get('/api/v1/notify/webhooks');
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes('abcdef123456'));
  srv.cli(['notify', 'robots', '--scope', 'board:1', '--message', '你好']);
  const got = await until(() => postsTo('/wecom/').length >= 1);
  assert.ok(got, 'the robot was posted to');
  const p = postsTo('/wecom/')[0];
  assert.equal(p.url, '/wecom/send?key=abcdef123456');
  assert.match(p.headers['content-type'], /application\/json/);
  assert.deepEqual(Object.keys(p.json), ['msgtype', 'text']);
  assert.equal(p.json.msgtype, 'text');
  assert.equal(p.json.text.content, '测试通知 #1：系统 (命令行) 向您发送了一条测试消息。你好');
});

test('a DingTalk robot gets a markdown message and a valid timestamp+sign in the URL', async () => {
  const secret = 'SECd1e2f3a4b5c6';
  const r = await robot({ name: '钉钉群', kind: 'dingtalk', url: rx.url('/dingtalk/robot/send?access_token=tok123456'), secret, scope: 'board:2' });
  assert.equal(r.secret_masked, 'SECd****');
  assert.ok(!JSON.stringify(r).includes(secret));
  srv.cli(['notify', 'robots', '--scope', 'board:2', '--message', 'dd']);
  assert.ok(await until(() => postsTo('/dingtalk/').length >= 1));
  const p = postsTo('/dingtalk/')[0];
  const u = new URL('http://x' + p.url);
  assert.equal(u.searchParams.get('access_token'), 'tok123456');
  const ms = u.searchParams.get('timestamp');
  assert.match(ms, /^\d{13}$/);
  assert.ok(Math.abs(Number(ms) - Date.now()) < 60000);
  assert.equal(u.searchParams.get('sign'), hmac(secret, `${ms}\n${secret}`));
  assert.ok(p.url.includes('&sign=' + encodeURIComponent(hmac(secret, `${ms}\n${secret}`))), 'sign is URL-encoded');
  assert.equal(p.json.msgtype, 'markdown');
  assert.equal(typeof p.json.markdown.title, 'string');
  assert.match(p.json.markdown.text, /dd$/);
});

test('a Feishu robot gets timestamp and sign in the body, signed with SECONDS\\nsecret as key', async () => {
  const secret = 'feishu-secret-xyz';
  await robot({ name: '飞书群', kind: 'feishu', url: rx.url('/feishu/open-apis/bot/v2/hook/0f1e2d3c'), secret, scope: 'board:3' });
  srv.cli(['notify', 'robots', '--scope', 'board:3', '--message', 'fs']);
  assert.ok(await until(() => postsTo('/feishu/').length >= 1));
  const p = postsTo('/feishu/')[0];
  assert.equal(p.url, '/feishu/open-apis/bot/v2/hook/0f1e2d3c');
  assert.equal(p.json.msg_type, 'text');
  assert.match(p.json.content.text, /fs$/);
  assert.match(p.json.timestamp, /^\d{10}$/);
  assert.equal(p.json.sign, hmac(`${p.json.timestamp}\n${secret}`, ''));
});

test('a robot\'s rate limit holds: no more than rate_per_minute posts in a minute', async () => {
  await robot({ name: '限速', kind: 'wecom', url: rx.url('/limited?key=k'), scope: 'board:4', rate_per_minute: 3 });
  srv.cli(['notify', 'robots', '--scope', 'board:4', '--count', '5']);
  await until(() => postsTo('/limited').length >= 3);
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(postsTo('/limited').length, 3);
  const pending = await admin.get('/api/v1/notify/outbox?state=pending');
  assert.equal(pending.body.items.filter((i) => i.webhook_name === '限速').length, 2);
});

test('a receiver that fails (500) is retried later with backoff', async () => {
  const r = await robot({ name: '坏机器人', kind: 'wecom', url: rx.url('/broken?key=k'), scope: 'board:5' });
  rx.status = 500;
  try {
    srv.cli(['notify', 'robots', '--scope', 'board:5']);
    await until(() => postsTo('/broken').length >= 1);
    const row = await until(async () => {
      const res = await admin.get('/api/v1/notify/outbox?state=pending');
      return res.body.items.find((i) => i.webhook_id === r.id && i.attempts === 1);
    });
    assert.ok(row, 'still pending after one failure');
    assert.equal(row.last_error, 'HTTP 500');
    assert.ok(row.next_at >= Math.floor(Date.now() / 1000) + 2, 'due again later (backoff)');
  } finally {
    rx.status = 200;
  }
});

test('a receiver that refuses the request itself (404) fails at once; the administrator sees it and retries it', async () => {
  const r = await robot({ name: '错误地址', kind: 'wecom', url: rx.url('/gone?key=k'), scope: 'board:6' });
  rx.status = 404;
  let failed;
  try {
    srv.cli(['notify', 'robots', '--scope', 'board:6', '--message', '失败']);
    failed = await until(async () => {
      const res = await admin.get('/api/v1/notify/outbox?state=failed');
      return res.body.items.find((i) => i.webhook_id === r.id);
    });
  } finally {
    rx.status = 200;
  }
  assert.ok(failed, 'listed among failed deliveries');
  assert.equal(failed.last_error, 'HTTP 404');
  assert.equal(failed.webhook_name, '错误地址');
  assert.match(failed.text, /失败$/);
  const before = postsTo('/gone').length;
  assert.equal((await admin.post(`/api/v1/notify/outbox/${failed.id}/retry`)).status, 204);
  assert.ok(await until(() => postsTo('/gone').length === before + 1), 'sent again after the retry');
  const sent = await until(async () => (await admin.get('/api/v1/notify/outbox?state=sent&per_page=200')).body.items.find((i) => i.id === failed.id));
  assert.ok(sent, 'now sent');
  assert.equal((await admin.post(`/api/v1/notify/outbox/${failed.id}/retry`)).status, 409, 'only failed rows are retried');
});

test('the failed view and retry are for administrators only', async () => {
  assert.equal((await staff.get('/api/v1/notify/outbox?state=failed')).status, 403);
  assert.equal((await member.get('/api/v1/notify/webhooks')).status, 403);
  const bad = await admin.get('/api/v1/notify/outbox?state=nope');
  assert.equal(bad.status, 422);
  assert.equal((await admin.post('/api/v1/notify/outbox/999999/retry')).status, 404);
});

test('robot settings are validated and every change is audited without the secret', async () => {
  const bad = await admin.post('/api/v1/notify/webhooks', { name: 'x', kind: 'telegram', url: 'ftp://x' }, { invalid: true });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['kind', 'org_id', 'url']);
  const r = await robot({ name: '组织群', kind: 'feishu', url: rx.url('/org/hook/zz'), secret: 'topsecret', org_id: 1 });
  assert.equal(r.org_id, 1);
  const audit = await admin.get('/api/v1/audit?action=notify.robot_create&per_page=50');
  assert.ok(audit.body.items.length >= 1);
  assert.ok(!audit.text.includes('topsecret'));
  assert.equal((await admin.delete(`/api/v1/notify/webhooks/${r.id}`)).status, 204);
  assert.equal((await admin.delete(`/api/v1/notify/webhooks/${r.id}`)).status, 404);
});

test('e-mail goes through the administrator\'s SMTP server, immediately or as a daily digest', async () => {
  const smtp = await smtpReceiver();
  try {
    const put = await admin.put('/api/v1/notify/smtp', { host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'mailer', password: 'pw-123', from: 'noreply@tongxin.test' });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.password_set, true);
    assert.ok(!put.text.includes('pw-123'));
    const u = await admin.get(`/api/v1/users/${member.me.id}`);
    const patched = await admin.patch(`/api/v1/users/${member.me.id}`, { version: u.body.version, email: 'member@tongxin.test' });
    assert.equal(patched.status, 200, patched.text);
    const me = await member.get('/api/v1/me/notification-preferences');
    assert.equal(me.body.email_mode, 'immediate');
    assert.ok(me.body.email, 'the demo member has an address');
    srv.cli(['notify', 'test', 'member', '--message', '邮件正文']);
    assert.ok(await until(() => smtp.mails.length >= 1), 'an e-mail arrived');
    const m = smtp.mails[0];
    assert.equal(m.from, 'noreply@tongxin.test');
    assert.deepEqual(m.to, [me.body.email]);
    assert.equal(m.user, 'mailer');
    assert.match(m.data, /Subject: =\?UTF-8\?B\?/);
    assert.match(m.data, /邮件正文/);
    assert.match(m.data, /^\/notifications\r?$/m, 'no public address configured: the link stays relative');

    const dg = await member.put('/api/v1/me/notification-preferences', { email_mode: 'digest' });
    assert.equal(dg.body.email_mode, 'digest');
    srv.cli(['notify', 'test', 'member', '--message', '摘要一']);
    srv.cli(['notify', 'test', 'member', '--message', '摘要二']);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.mails.length, 1, 'digest mode sends nothing at once');
    const run = srv.cli(['tasks', 'run', 'notify.digest']);
    assert.equal(run.stdout.trim(), 'notify.digest: 1');
    assert.ok(await until(() => smtp.mails.length >= 2), 'the digest arrived');
    assert.match(smtp.mails[1].data, /您有 2 条新通知/);
    assert.match(smtp.mails[1].data, /摘要一[\s\S]*摘要二/);
    assert.equal(srv.cli(['tasks', 'run', 'notify.digest']).stdout.trim(), 'notify.digest: 0', 'nothing twice');
  } finally {
    await smtp.close();
  }
});

test('robots follow jurisdiction: street staff manage their street\'s organizations, an org admin their own', async () => {
  const street = await srv.login('street');
  const orgadmin = await srv.login('orgadmin');
  const ownOrg = orgadmin.me.org_ids[0];
  const orgs = (await admin.get('/api/v1/orgs?per_page=100')).body.items;
  const inside = orgs.find((o) => o.street_code.slice(0, 9) === street.me.jurisdiction.slice(0, 9) && o.id !== ownOrg);
  const outside = orgs.find((o) => o.street_code.slice(0, 9) !== street.me.jurisdiction.slice(0, 9) && o.id !== ownOrg);
  assert.ok(inside && outside, 'the demo has organizations in and outside the street');
  const body = (name, org_id) => ({ name, kind: 'wecom', url: rx.url(`/wecom/send?key=${name}`), org_id });

  const mine = await street.post('/api/v1/notify/webhooks', body('streetbot', inside.id));
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await street.post('/api/v1/notify/webhooks', body('farbot', outside.id))).status, 403);
  assert.equal((await street.post('/api/v1/notify/webhooks', { ...body('scopebot'), scope: 'board:9' })).status, 403,
    'scope robots speak for the district: district staff only');
  const far = await robot(body('farbot2', outside.id));
  const scoped = await staff.post('/api/v1/notify/webhooks', { ...body('scopebot2'), scope: 'board:9' });
  assert.equal(scoped.status, 201, 'district staff manage scope robots');

  const seen = (await street.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id);
  assert.ok(seen.includes(mine.body.id));
  assert.ok(!seen.includes(far.id) && !seen.includes(scoped.body.id), 'the list holds only their street\'s robots');
  assert.equal((await street.patch(`/api/v1/notify/webhooks/${far.id}`, { enabled: false })).status, 403);
  assert.equal((await street.delete(`/api/v1/notify/webhooks/${far.id}`)).status, 403);
  assert.equal((await street.post(`/api/v1/notify/webhooks/${far.id}/test`)).status, 403);
  assert.equal((await street.patch(`/api/v1/notify/webhooks/${mine.body.id}`, { org_id: outside.id })).status, 403,
    'cannot move a robot out of the jurisdiction');
  assert.equal((await street.patch(`/api/v1/notify/webhooks/${mine.body.id}`, { rate_per_minute: 10 })).status, 200);

  const own = await orgadmin.post('/api/v1/notify/webhooks', body('ownbot', ownOrg));
  assert.equal(own.status, 201, own.text);
  assert.equal((await orgadmin.post('/api/v1/notify/webhooks', body('otherbot', inside.id))).status, 403);
  assert.deepEqual((await orgadmin.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id), [own.body.id]);
  assert.equal((await orgadmin.delete(`/api/v1/notify/webhooks/${mine.body.id}`)).status, 403);
  assert.equal((await orgadmin.delete(`/api/v1/notify/webhooks/${own.body.id}`)).status, 204);
  assert.equal((await member.get('/api/v1/notify/webhooks')).status, 403, 'members do not manage robots');
  const all = (await admin.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id);
  assert.ok(all.includes(mine.body.id) && all.includes(far.id) && all.includes(scoped.body.id));
});

// Issue 12 §4: an organization administrator could make the server post to itself, the office
// network or the cloud's metadata service. A robot now posts only to its platform's official host.
test('a robot URL that points inside (or anywhere but the official host) is refused with 422 and nothing is saved', async () => {
  const orgadmin = await srv.login('orgadmin');
  const ownOrg = orgadmin.me.org_ids[0];
  const listed = async (who) => (await who.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id).sort();
  const beforeAdmin = await listed(admin);
  const beforeOwn = await listed(orgadmin);
  const inside = [
    'http://127.0.0.1/cgi-bin/webhook/send?key=k',
    `http://127.0.0.1:${rx.port + 1}/send?key=k`, // a local port the test setting does not name
    'https://10.0.0.1/cgi-bin/webhook/send?key=k',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:127.0.0.1]/send',
    'https://evil.example/cgi-bin/webhook/send?key=k',
    'https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k',
    'https://qyapi.weixin.qq.com@evil.example/send',
    'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', // the official host, but not https
  ];
  for (const url of inside) {
    const res = await orgadmin.post('/api/v1/notify/webhooks', { name: '内网', kind: 'wecom', url, org_id: ownOrg });
    assert.equal(res.status, 422, `${url}: ${res.text}`);
    assert.match(res.headers.get('content-type'), /application\/problem\+json/);
    assert.deepEqual(res.body.errors.map((e) => e.field), ['url'], url);
    assert.match(res.body.errors[0].message, /企业微信.*https:\/\/qyapi\.weixin\.qq\.com\//, url);
  }
  const en = await admin.post('/api/v1/notify/webhooks', { name: 'x', kind: 'dingtalk', url: 'https://169.254.169.254/', scope: 'ssrf:1' }, { lang: 'en' });
  assert.equal(en.status, 422);
  assert.match(en.body.errors[0].message, /DingTalk robot's address must be its official one, https:\/\/oapi\.dingtalk\.com\//);
  assert.deepEqual(await listed(admin), beforeAdmin, 'nothing was saved');
  assert.deepEqual(await listed(orgadmin), beforeOwn);

  // the official hosts are accepted (nothing is posted: nobody notifies this organization here)
  const official = {
    wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=official1',
    dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=official2',
    feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/official3',
  };
  const saved = [];
  for (const [kind, url] of Object.entries(official)) {
    const res = await orgadmin.post('/api/v1/notify/webhooks', { name: `官方${kind}`, kind, url, org_id: ownOrg, enabled: false });
    assert.equal(res.status, 201, `${kind}: ${res.text}`);
    saved.push(res.body.id);
  }
  // a change of the URL alone, or of the kind alone, is checked against the robot as it will be
  const wecom = saved[0];
  const moved = await orgadmin.patch(`/api/v1/notify/webhooks/${wecom}`, { url: 'https://10.1.2.3/send' });
  assert.equal(moved.status, 422, moved.text);
  assert.deepEqual(moved.body.errors.map((e) => e.field), ['url']);
  const rekinded = await orgadmin.patch(`/api/v1/notify/webhooks/${wecom}`, { kind: 'feishu' });
  assert.equal(rekinded.status, 422, 'a WeCom address does not become a Feishu robot\'s');
  assert.match(rekinded.body.errors[0].message, /open\.feishu\.cn/);
  const list = (await orgadmin.get('/api/v1/notify/webhooks')).body.items;
  assert.equal(list.find((r) => r.id === wecom).kind, 'wecom', 'the refused changes left the robot as it was');
  assert.match(list.find((r) => r.id === wecom).url, /^https:\/\/qyapi\.weixin\.qq\.com\//);
  for (const id of saved) assert.equal((await orgadmin.delete(`/api/v1/notify/webhooks/${id}`)).status, 204);
});

test('a robot whose URL reached the database some other way is refused again when it sends', async () => {
  const other = await robotReceiver(); // a local port the test setting does not name
  try {
    const r = await robot({ name: '被改的地址', kind: 'wecom', url: rx.url('/changed?key=k'), scope: 'ssrf:send' });
    srv.sql(`UPDATE notify_webhook SET url = '${other.url('/changed?key=k')}' WHERE id = ${r.id}`);
    assert.equal((await admin.post(`/api/v1/notify/webhooks/${r.id}/test`)).status, 202);
    const failed = await until(async () => {
      const res = await admin.get('/api/v1/notify/outbox?state=failed');
      return res.body.items.find((i) => i.webhook_id === r.id);
    });
    assert.ok(failed, 'failed at once: retrying cannot help');
    assert.match(failed.last_error, /robot URL refused/);
    assert.equal(other.requests.length, 0, 'nothing reached the address');
    assert.equal(postsTo('/changed').length, 0);
  } finally {
    await other.close();
  }
});

test('the test-only setting is announced loudly, and refused outside a test server', () => {
  assert.match(srv.log(), /WARNING: TONGXIN_TEST_ALLOW_ROBOT_HOSTS=127\.0\.0\.1:\d+/);
  assert.match(srv.log(), /NEVER IN PRODUCTION/);
  const env = { TONGXIN_TEST_ALLOW_ROBOT_HOSTS: `127.0.0.1:${rx.port}` };
  const fixedPort = srv.cli(['serve', '--listen', '127.0.0.1:1'], { env });
  assert.equal(fixedPort.status, 2, 'a server on a fixed port (what a deployment uses) refuses to start');
  assert.match(fixedPort.stderr, /for tests only/);
  const notLoopback = srv.cli(['serve', '--listen', '127.0.0.1:0'], { env: { TONGXIN_TEST_ALLOW_ROBOT_HOSTS: '10.0.0.1:80' } });
  assert.equal(notLoopback.status, 2, 'only loopback addresses can be named');
});
