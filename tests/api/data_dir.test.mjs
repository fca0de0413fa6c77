// One data directory, one public address: with flags only (no TONGXIN_* variable in the
// environment, run from another working directory), `init`, `demo`, `serve`, `tasks run` and
// `backup` agree on where the database and the attachments live and on the address of links —
// in robot messages sent by the server, in e-mail sent by `tasks run`, and in the check-in QR
// codes. (Robots post only to their platforms' official hosts; the server started here takes
// the test-only local receiver setting, which `tasks run` never honours, so the cron run's
// links are checked in its e-mail, whose server the administrator sets.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { BIN, ENGINE, Client, DEMO_PASSWORD, freshDatabase } from './harness.mjs';
import { robotReceiver, smtpReceiver, testRobotHosts, until } from './notify_receivers.mjs';

const bin = resolve(BIN);
// the program's environment without any of its settings: flags alone must carry them
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TONGXIN_')));
env.LANG = 'zh_CN.UTF-8';

let dataDir, filesDir, workDir, pg, dbArgs, server, rx, smtp, log = '';

function run(args) {
  return spawnSync(bin, args, { cwd: workDir, env, encoding: 'utf8' });
}

/** Like run(), without blocking this process: the local receivers answer from its event loop. */
function runAsync(args) {
  return new Promise((done) => {
    const child = spawn(bin, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

function sql(text) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [pg.url, '-qtAc', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', join(dataDir, 'tongxin.db'), text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sql failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function startServe(extra) {
  await stopServe(); // a test that failed half-way left its server running
  log = '';
  server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...dbArgs, ...extra],
    { cwd: workDir, env: { ...env, ...testRobotHosts(rx) }, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (d) => { log += d.toString(); });
  for (let i = 0; ; i++) {
    const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
    if (m) return `http://127.0.0.1:${m[1]}`;
    if (i > 800 || server.exitCode !== null) throw new Error(`server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stopServe() {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', (c) => r(c)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, log.slice(-2000));
}

async function login(base, username) {
  const c = new Client(base);
  const res = await c.post('/api/v1/session', { username, password: DEMO_PASSWORD });
  assert.equal(res.status, 200, res.text);
  c.cookie = res.setCookie.split(';')[0];
  c.csrf = res.body.csrf_token;
  c.me = res.body.user;
  return c;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tx-flags-data-'));
  filesDir = mkdtempSync(join(tmpdir(), 'tx-flags-files-'));
  workDir = mkdtempSync(join(tmpdir(), 'tx-flags-cwd-'));
  // SQLite: the database is <data-dir>/tongxin.db, found by --data-dir alone; PostgreSQL has
  // no file, so its URL comes by --database (a flag too)
  pg = ENGINE === 'postgres' ? freshDatabase() : null;
  dbArgs = pg ? ['--database', pg.url] : [];
  rx = await robotReceiver();
  smtp = await smtpReceiver();
});
after(async () => {
  await stopServe();
  await rx.close();
  await smtp.close();
  pg?.drop();
  for (const d of [dataDir, filesDir, workDir]) rmSync(d, { recursive: true, force: true });
});

test('init, demo, serve, tasks run and backup use the data directory and the address given by flags', async () => {
  assert.equal(run(['init', '--data-dir', dataDir, ...dbArgs]).status, 0);
  const demo = run(['demo', '--scale', '10', '--data-dir', dataDir, ...dbArgs]);
  assert.equal(demo.status, 0, demo.stderr);
  if (!pg) assert.ok(existsSync(join(dataDir, 'tongxin.db')), 'the database is in --data-dir');

  const base = await startServe(['--public-url', 'https://flags.example.cn/']);
  const [admin, staff, member] = await Promise.all(['admin', 'staff', 'member'].map((u) => login(base, u)));

  // attachments: the demo's and an upload's bytes are under --data-dir/files
  const own = (await staff.get(`/api/v1/orgs/${member.me.member_org_ids[0]}`)).body;
  const board = await staff.post('/api/v1/boards', { name: '数据目录测试', scope_kind: 'street', scope_key: own.street_code, visibility: 'members' });
  assert.equal(board.status, 201, board.text);
  const thread = await member.post(`/api/v1/boards/${board.body.id}/threads`, { title: '附件去向', body: '见附件' });
  assert.equal(thread.status, 201, thread.text);
  const bytes = Buffer.from('数据目录里的附件\n');
  const up = await member.request('POST', `/api/v1/posts/${thread.body.posts[0].id}/files`, undefined,
    { raw: bytes, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent('去向.txt') } });
  assert.equal(up.status, 201, up.text);
  const sha = createHash('sha256').update(bytes).digest('hex');
  assert.ok(existsSync(join(dataDir, 'files', sha.slice(0, 2), sha)), 'the upload is under --data-dir/files');
  const demoFile = sql("SELECT sha256 FROM attachment WHERE object_type = 'post' ORDER BY id LIMIT 1");
  assert.ok(existsSync(join(dataDir, 'files', demoFile.slice(0, 2), demoFile)), 'so are the demo\'s');
  assert.equal((await member.get(`/api/v1/files/${up.body.id}`)).status, 200);

  // links: the robot message the server sends, and the check-in QR code, use --public-url
  const got = (await admin.get('/api/v1/notify/public-url')).body;
  assert.equal(got.startup_url, 'https://flags.example.cn');
  const org = member.me.member_org_ids[0];
  // e-mail for the member, through a local mail server (the cron run's links are checked there)
  assert.equal((await admin.put('/api/v1/notify/smtp', { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'noreply@tongxin.test' })).status, 200);
  const u = await admin.get(`/api/v1/users/${member.me.id}`);
  assert.equal((await admin.patch(`/api/v1/users/${member.me.id}`, { version: u.body.version, email: 'member@tongxin.test' })).status, 200);
  const bot = await admin.post('/api/v1/notify/webhooks', { name: '数据目录群', kind: 'wecom', url: rx.url('/wecom/send?key=flags'), org_id: org });
  assert.equal(bot.status, 201, bot.text);
  const m = await staff.post('/api/v1/meetings', { kind: 'forum', title: '选项测试论坛', dtstart: '2030-05-06T09:00' });
  assert.equal(m.status, 201, m.text);
  assert.ok((await staff.post(`/api/v1/meetings/${m.body.id}/invitations`, { org_ids: [org] })).status < 300);
  assert.ok(await until(() => rx.requests.length >= 1), 'the robot was posted to');
  assert.ok(rx.requests[0].json.text.content.endsWith(`\nhttps://flags.example.cn/meetings/${m.body.id}`), rx.requests[0].json.text.content);
  const occ = (await staff.get(`/api/v1/meetings/${m.body.id}/occurrences`)).body.items[0];
  const qrHttp = await staff.get(`/api/v1/occurrences/${occ.id}/qr.svg`);
  const qrHttps = await staff.get(`/api/v1/occurrences/${occ.id}/qr.svg`, { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.equal(qrHttp.status, 200);
  assert.equal(qrHttp.text, qrHttps.text, 'the QR code encodes the public address, not the caller\'s Host and scheme');
  await stopServe();

  // tasks run from cron: the same data directory, its own --public-url for the links it sends
  assert.ok(await until(() => smtp.mails.some((x) => x.data.includes(`https://flags.example.cn/meetings/${m.body.id}`))), 'the server\'s e-mail links to --public-url');
  sql(`UPDATE notify_outbox SET state = 'pending', next_at = 0, sent_at = NULL, claimed_until = NULL WHERE channel = 'email' AND user_id = ${member.me.id}`);
  const mailsBefore = smtp.mails.length;
  const task = await runAsync(['tasks', 'run', 'notify.deliver', '--data-dir', dataDir, ...dbArgs, '--public-url', 'https://cron.example.cn']);
  assert.equal(task.status, 0, task.stderr);
  assert.match(task.stdout, /^notify\.deliver: [1-9]\d*$/m);
  assert.ok(await until(() => smtp.mails.length > mailsBefore), 'tasks run sent the e-mail again');
  assert.ok(smtp.mails.slice(mailsBefore).some((x) => x.data.includes(`https://cron.example.cn/meetings/${m.body.id}`)),
    smtp.mails.slice(mailsBefore).map((x) => x.data).join('\n---\n'));

  // backup: of the data directory's database, to the file named
  const out = join(workDir, pg ? 'tongxin.dump' : 'tongxin-backup.db');
  const backup = run(['backup', out, '--data-dir', dataDir, ...dbArgs]);
  assert.equal(backup.status, 0, backup.stderr);
  assert.ok(statSync(out).size > 0);
  if (!pg) {
    const copy = spawnSync('sqlite3', [out, "SELECT count(*) FROM post WHERE body = '见附件'"], { encoding: 'utf8' });
    assert.equal(copy.stdout.trim(), '1', 'the backup holds what the server wrote');
  }
  assert.ok(!existsSync(join(workDir, 'data')), 'nothing fell back to ./data');
});

test('--files-dir moves the attachment store like TONGXIN_FILES_DIR', async () => {
  const base = await startServe(['--files-dir', filesDir]);
  const [staff, member] = await Promise.all(['staff', 'member'].map((u) => login(base, u)));
  const own = (await staff.get(`/api/v1/orgs/${member.me.member_org_ids[0]}`)).body;
  const board = await staff.post('/api/v1/boards', { name: '附件目录测试', scope_kind: 'street', scope_key: own.street_code, visibility: 'members' });
  assert.equal(board.status, 201, board.text);
  const thread = await member.post(`/api/v1/boards/${board.body.id}/threads`, { title: '附件目录', body: '另一个目录' });
  const bytes = Buffer.from('另一个附件目录\n');
  const up = await member.request('POST', `/api/v1/posts/${thread.body.posts[0].id}/files`, undefined,
    { raw: bytes, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent('目录.txt') } });
  assert.equal(up.status, 201, up.text);
  const sha = createHash('sha256').update(bytes).digest('hex');
  assert.ok(existsSync(join(filesDir, sha.slice(0, 2), sha)), 'under --files-dir');
  assert.ok(!existsSync(join(dataDir, 'files', sha.slice(0, 2), sha)), 'not under --data-dir/files');
  await stopServe();
});
