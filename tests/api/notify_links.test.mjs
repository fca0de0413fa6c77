// Links in e-mails and robot messages are absolute when the platform knows its public address:
// `tongxin serve --public-url` (or TONGXIN_PUBLIC_URL) gives the default, the administrator's
// setting next to the SMTP settings overrides it; without either the links stay relative.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { robotReceiver, smtpReceiver, testRobotHosts, until } from './notify_receivers.mjs';

let srv, admin, staff, member, rx;
before(async () => {
  rx = await robotReceiver();
  srv = await startServer({ demo: 10, env: testRobotHosts(rx), args: ['--public-url', 'https://start.example.cn/'] });
  [admin, staff, member] = await Promise.all(['admin', 'staff', 'member'].map((u) => srv.login(u)));
});
after(async () => { await rx.close(); await srv.stop(); });

test('the startup address makes a robot message\'s link absolute', async () => {
  const got = await admin.get('/api/v1/notify/public-url');
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.body, { public_url: '', startup_url: 'https://start.example.cn', effective: 'https://start.example.cn', source: 'startup' });
  const org = member.me.member_org_ids[0];
  const bot = await admin.post('/api/v1/notify/webhooks', { name: '组织群', kind: 'wecom', url: rx.url('/wecom/send?key=links1'), org_id: org });
  assert.equal(bot.status, 201, bot.text);
  const m = await staff.post('/api/v1/meetings', { kind: 'forum', title: '链接测试论坛', dtstart: '2030-05-06T09:00' });
  assert.equal(m.status, 201, m.text);
  const inv = await staff.post(`/api/v1/meetings/${m.body.id}/invitations`, { org_ids: [org] });
  assert.ok(inv.status < 300, inv.text);
  assert.ok(await until(() => rx.requests.some((r) => r.url.includes('key=links1'))), 'the robot was posted to');
  const text = rx.requests.find((r) => r.url.includes('key=links1')).json.text.content;
  assert.match(text, /链接测试论坛/);
  assert.ok(text.endsWith(`\nhttps://start.example.cn/meetings/${m.body.id}`), text);
});

test('the administrator\'s address is validated, overrides the startup one, and reaches e-mail', async () => {
  for (const bad of ['ftp://files.example.cn', 'javascript:alert(1)', 'https://', 'https://x.cn/?a=1', 'https://a b.cn']) {
    const r = await admin.put('/api/v1/notify/public-url', { public_url: bad });
    assert.equal(r.status, 422, bad);
    assert.match(r.body.errors[0].message, /http:\/\/ 或 https:\/\//);
  }
  assert.equal((await admin.put('/api/v1/notify/public-url', {}, { invalid: true })).status, 422, 'the field is required');
  assert.equal((await staff.put('/api/v1/notify/public-url', { public_url: 'https://x.cn' })).status, 403);
  const put = await admin.put('/api/v1/notify/public-url', { public_url: 'https://tongxin.example.gov.cn/' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.effective, 'https://tongxin.example.gov.cn');
  assert.equal(put.body.source, 'setting');
  const audit = await admin.get('/api/v1/audit?per_page=5');
  assert.ok(audit.body.items.some((a) => a.action === 'notify.public_url_update'), 'audited');

  const smtp = await smtpReceiver();
  try {
    assert.equal((await admin.put('/api/v1/notify/smtp', { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'noreply@tongxin.test' })).status, 200);
    const u = await admin.get(`/api/v1/users/${member.me.id}`);
    assert.equal((await admin.patch(`/api/v1/users/${member.me.id}`, { version: u.body.version, email: 'member@tongxin.test' })).status, 200);
    srv.cli(['notify', 'test', 'member', '--message', '带链接的邮件']);
    assert.ok(await until(() => smtp.mails.length >= 1), 'an e-mail arrived');
    assert.match(smtp.mails[0].data, /带链接的邮件/);
    assert.match(smtp.mails[0].data, /^https:\/\/tongxin\.example\.gov\.cn\/notifications\r?$/m);
  } finally {
    await smtp.close();
  }
  const cleared = await admin.put('/api/v1/notify/public-url', { public_url: '' });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.source, 'startup', 'clearing the setting falls back to the startup address');
});

test('serve refuses a malformed --public-url', () => {
  const r = srv.cli(['serve', '--listen', '127.0.0.1:1', '--public-url', 'tongxin.example.cn']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /public-url/);
});

test('tasks run from the command line (cron) reads --public-url like serve', () => {
  const bad = srv.cli(['tasks', 'run', 'notify.deliver', '--public-url', 'ftp://files.example.cn']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /public-url/);
  const good = srv.cli(['tasks', 'run', 'notify.deliver', '--public-url', 'https://cron.example.cn/']);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /^notify\.deliver: \d+$/m);
  const env = srv.cli(['tasks', 'run', 'notify.deliver'], { env: { TONGXIN_PUBLIC_URL: 'not a url' } });
  assert.equal(env.status, 2, 'the environment variable is checked too');
});
