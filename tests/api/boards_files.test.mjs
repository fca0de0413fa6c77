// Attachments on board posts: the author uploads while the post is editable; whoever may see
// the post lists and downloads its files; others get 404; a hidden post hides its files; too
// large and wrong types are refused with a Chinese message; the bytes live under the data
// directory given to `tongxin serve --data-dir`; the demo's posts carry some files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { startServer, DEMO_PASSWORD } from './harness.mjs';

let srv, admin, staff, member, outsider, supervisor, dataDir, streetBoard;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');

function upload(client, postId, bytes, name) {
  return client.request('POST', `/api/v1/posts/${postId}/files`, undefined,
    { raw: bytes, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent(name) } });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tx-data-'));
  srv = await startServer({ demo: 30, dataDir });
  [admin, staff, member, supervisor] = await Promise.all(['admin', 'staff', 'member', 'supervisor'].map((u) => srv.login(u)));
  const own = (await staff.get(`/api/v1/orgs/${member.me.member_org_ids[0]}`)).body;
  const b = await staff.post('/api/v1/boards', { name: '街道附件交流', scope_kind: 'street', scope_key: own.street_code, visibility: 'members' });
  assert.equal(b.status, 201, b.text);
  streetBoard = b.body;
  const other = (await staff.get('/api/v1/orgs?per_page=100')).body.items.find((o) => o.street_code !== own.street_code);
  const u = await admin.post('/api/v1/users', { username: 'farfiles', display_name: '外街道成员', password: DEMO_PASSWORD, roles: [{ role: 'org_member', org_id: other.id }] });
  assert.equal(u.status, 201, u.text);
  outsider = await srv.login('farfiles');
});
after(async () => {
  await srv.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function newThread(title) {
  const r = await member.post(`/api/v1/boards/${streetBoard.id}/threads`, { title, body: '材料见附件。' });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('the author attaches a file to a new thread; the post lists it; the bytes are under --data-dir/files', async () => {
  const t = await newThread('活动方案征求意见');
  const postId = t.posts[0].id;
  const up = await upload(member, postId, PDF, '活动方案.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.filename, '活动方案.pdf');
  assert.equal(up.body.mime, 'application/pdf');
  assert.equal(up.body.size, PDF.length);
  const sha = createHash('sha256').update(PDF).digest('hex');
  assert.ok(existsSync(join(dataDir, 'files', sha.slice(0, 2), sha)), 'stored in the data directory given to serve');

  const view = (await staff.get(`/api/v1/threads/${t.id}`)).body;
  assert.deepEqual(view.posts[0].attachments.map((a) => [a.id, a.filename, a.size, a.mime]),
    [[up.body.id, '活动方案.pdf', PDF.length, 'application/pdf']]);
  const list = await member.get(`/api/v1/posts/${postId}/files`);
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
});

test('a reply carries files too; downloads for those who see the board, 404 for others', async () => {
  const t = await newThread('场地使用登记');
  const reply = await member.post(`/api/v1/threads/${t.id}/posts`, { body: '登记表在此' });
  assert.equal(reply.status, 201, reply.text);
  const txt = Buffer.from('场地登记：周六上午\n');
  const up = await upload(member, reply.body.id, txt, '登记表.txt');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.mime, 'text/plain; charset=utf-8');

  const down = await staff.get(`/api/v1/files/${up.body.id}`);
  assert.equal(down.status, 200);
  assert.deepEqual(down.bytes, txt);
  assert.match(down.headers.get('content-disposition'), /^attachment;.*filename\*=UTF-8''%E7%99%BB/);
  assert.equal(down.headers.get('x-content-type-options'), 'nosniff');
  assert.equal((await supervisor.get(`/api/v1/files/${up.body.id}`)).status, 200, 'a supervisor reads every board');
  const denied = await outsider.get(`/api/v1/files/${up.body.id}`);
  assert.equal(denied.status, 404, 'a member of another street cannot see this street board');
  assert.equal((await outsider.get(`/api/v1/posts/${reply.body.id}/files`)).status, 404);
});

test('only the author adds or removes files, and only while the post is editable', async () => {
  const t = await newThread('只能作者上传');
  const postId = t.posts[0].id;
  const notAuthor = await upload(staff, postId, PDF, 'x.pdf');
  assert.equal(notAuthor.status, 403);
  assert.equal((await upload(supervisor, postId, PDF, 'x.pdf')).status, 403, 'a supervisor only reads');
  const up = await upload(member, postId, PDF, '草稿.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal((await staff.delete(`/api/v1/files/${up.body.id}`)).status, 403, 'not the author');
  assert.equal((await member.delete(`/api/v1/files/${up.body.id}`)).status, 204);
  assert.equal((await member.get(`/api/v1/posts/${postId}/files`)).body.items.length, 0);
  assert.equal((await staff.get(`/api/v1/files/${up.body.id}`)).status, 404);

  const again = await upload(member, postId, PDF, '定稿.pdf');
  assert.equal(again.status, 201);
  srv.sql(`UPDATE post SET created_at = created_at - 3600 WHERE id = ${Number(postId)}`);
  const late = await upload(member, postId, PDF, '迟到.pdf');
  assert.equal(late.status, 409);
  assert.match(late.body.detail, /30 分钟/);
  assert.equal((await member.delete(`/api/v1/files/${again.body.id}`)).status, 409, 'no longer editable');
  assert.equal((await member.get(`/api/v1/posts/${postId}/files`)).body.items.length, 1);
});

test('too large and wrong types are refused with a Chinese message and change nothing', async () => {
  const t = await newThread('大文件');
  const postId = t.posts[0].id;
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.4\n');
  const tooBig = await upload(member, postId, big, '很大.pdf');
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.body.detail, /文件过大（单个文件不超过 20 MB）/);
  // the title once rendered the generic text with the MB figure: "上限 20 字节"
  assert.equal(tooBig.body.title, '提交的内容过大');
  const exe = await upload(member, postId, Buffer.from('MZ\x90\x00binary'), '伪装.pdf');
  assert.equal(exe.status, 415);
  assert.match(exe.body.detail, /不支持的文件类型/);
  const noName = await member.request('POST', `/api/v1/posts/${postId}/files`, undefined,
    { raw: PDF, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(noName.status, 422);
  assert.equal((await member.get(`/api/v1/posts/${postId}/files`)).body.items.length, 0);
});

test('at most ten files per post', async () => {
  const t = await newThread('多个附件');
  const postId = t.posts[0].id;
  for (let i = 0; i < 10; i++) {
    const r = await upload(member, postId, Buffer.from(`第 ${i} 份\n`), `附件${i}.txt`);
    assert.equal(r.status, 201, r.text);
  }
  const eleventh = await upload(member, postId, Buffer.from('再来一份\n'), '附件10.txt');
  assert.equal(eleventh.status, 409);
  assert.match(eleventh.body.detail, /最多 10 个附件/);
});

test('a hidden post hides its files from everyone but moderators', async () => {
  const t = await newThread('将被隐藏');
  const postId = t.posts[0].id;
  const up = await upload(member, postId, PDF, '违规材料.pdf');
  assert.equal(up.status, 201);
  const hide = await staff.post(`/api/v1/posts/${postId}/hide`, { hidden: true, reason: '含个人信息' });
  assert.equal(hide.status, 200, hide.text);
  assert.equal((await member.get(`/api/v1/files/${up.body.id}`)).status, 404, 'even the author');
  assert.equal((await member.get(`/api/v1/posts/${postId}/files`)).status, 404);
  const seen = (await member.get(`/api/v1/threads/${t.id}`)).body.posts[0];
  assert.equal(seen.attachments, undefined);
  assert.match(seen.notice, /含个人信息/);
  assert.equal((await staff.get(`/api/v1/files/${up.body.id}`)).status, 200, 'moderators still see it');
  assert.equal((await staff.get(`/api/v1/threads/${t.id}`)).body.posts[0].attachments.length, 1);
});

test('the demo posts carry attachments that list and download like uploaded ones', async () => {
  const boards = (await member.get('/api/v1/boards')).body.items;
  const service = boards.find((b) => b.name === '社会服务交流');
  assert.ok(service, JSON.stringify(boards.map((b) => b.name)));
  const threads = (await member.get(`/api/v1/boards/${service.id}/threads?per_page=50`)).body.items;
  const costs = threads.find((t) => t.title === '养老助餐点运营成本讨论');
  assert.ok(costs, 'the demo thread is there');
  const view = (await member.get(`/api/v1/threads/${costs.id}`)).body;
  const opening = view.posts[0].attachments;
  assert.deepEqual(opening.map((a) => [a.filename, a.mime]), [['助餐点运营成本统计表.txt', 'text/plain; charset=utf-8']]);
  assert.ok(view.posts.slice(1).some((p) => (p.attachments || []).length === 1), 'a reply has one too');
  const down = await member.get(`/api/v1/files/${opening[0].id}`);
  assert.equal(down.status, 200);
  assert.match(down.bytes.toString('utf8'), /^助餐点运营成本统计表/);
  const sha = createHash('sha256').update(down.bytes).digest('hex');
  assert.ok(existsSync(join(dataDir, 'files', sha.slice(0, 2), sha)), 'the demo wrote into the same data directory');
});
