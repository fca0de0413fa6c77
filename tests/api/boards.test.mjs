// Exchange boards: visibility, mentions and followers notified, moderation hides (audited) and
// shows the reason to others, locking, editing with history, soft delete, and full-text search
// that finds one- and two-character Chinese words only in boards the caller may see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.mjs';
import { noticesFor } from './boards_helpers.mjs';

let srv, admin, staff, street, member, orgadmin, resident, supervisor, expert, liaison;
let openBoard, streetBoard, invitedBoard, outsider;

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, street, member, orgadmin, resident, supervisor, expert, liaison] = await Promise.all(
    ['admin', 'staff', 'street', 'member', 'orgadmin', 'resident', 'supervisor', 'expert', 'liaison'].map((u) => srv.login(u)));
  const own = (await staff.get(`/api/v1/orgs/${member.me.member_org_ids[0]}`)).body;
  const mk = async (body) => {
    const r = await staff.post('/api/v1/boards', body);
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  openBoard = await mk({ name: '教育领域交流', scope_kind: 'field', scope_key: 'education', visibility: 'all' });
  streetBoard = await mk({ name: '本街道组织交流', scope_kind: 'street', scope_key: own.street_code, visibility: 'members' });
  invitedBoard = await mk({ name: '联席会议筹备组', scope_kind: 'series', scope_key: '7', visibility: 'invited' });
  const other = (await staff.get('/api/v1/orgs?per_page=100')).body.items.find((o) => o.street_code !== own.street_code);
  const u = await admin.post('/api/v1/users', { username: 'faraway', display_name: '外街道成员', password: DEMO_PASSWORD, roles: [{ role: 'org_member', org_id: other.id }] });
  assert.equal(u.status, 201, u.text);
  outsider = await srv.login('faraway');
});
after(async () => { await srv.stop(); });

async function thread(client, board, title, body) {
  const r = await client.post(`/api/v1/boards/${board.id}/threads`, { title, body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('visibility: street members see their street board, invited boards only the invited', async () => {
  const ids = async (c) => (await c.get('/api/v1/boards')).body.items.map((b) => b.id);
  assert.ok((await ids(member)).includes(streetBoard.id));
  assert.ok(!(await ids(outsider)).includes(streetBoard.id));
  assert.ok(!(await ids(resident)).includes(streetBoard.id));
  assert.ok((await ids(resident)).includes(openBoard.id));
  assert.equal((await outsider.get(`/api/v1/boards/${streetBoard.id}/threads`)).status, 404);
  assert.ok(!(await ids(expert)).includes(invitedBoard.id));
  const inv = await staff.post(`/api/v1/boards/${invitedBoard.id}/invites`, { user_ids: [expert.me.id] });
  assert.equal(inv.status, 200, inv.text);
  assert.ok((await ids(expert)).includes(invitedBoard.id));
  assert.ok((await ids(supervisor)).includes(invitedBoard.id), 'a supervisor reads every board');
  assert.equal((await supervisor.post(`/api/v1/boards/${openBoard.id}/threads`, { title: 't', body: 'b' })).status, 403);
});

test('@mentions notify the mentioned user, followers hear of replies, the author is not told of their own', async () => {
  const t = await thread(member, openBoard, '关于暑期托管的经验分享', `欢迎 @orgadmin 和 @nobody 一起讨论。`);
  assert.deepEqual(noticesFor(srv, orgadmin.me.id, 'post', t.posts[0].id), ['board.mentioned']);
  const reply = await expert.post(`/api/v1/threads/${t.id}/posts`, { body: '我们社区也在做，**欢迎交流**。' });
  assert.equal(reply.status, 201, reply.text);
  assert.deepEqual(noticesFor(srv, member.me.id, 'post', reply.body.id), ['board.reply'], 'the author follows their thread');
  const f = await resident.post(`/api/v1/threads/${t.id}/follow`, { follow: true });
  assert.equal(f.body.following, true);
  const r2 = await member.post(`/api/v1/threads/${t.id}/posts`, { body: '谢谢 @expert' });
  assert.deepEqual(noticesFor(srv, resident.me.id, 'post', r2.body.id), ['board.reply']);
  assert.deepEqual(noticesFor(srv, expert.me.id, 'post', r2.body.id), ['board.mentioned'], 'told once, as mentioned');
  assert.deepEqual(noticesFor(srv, member.me.id, 'post', r2.body.id), []);
  // a user who cannot see the board is not told of a mention there
  const s = await thread(member, streetBoard, '街道内部', '@faraway 你好');
  assert.deepEqual(noticesFor(srv, outsider.me.id, 'post', s.posts[0].id), []);
});

test('moderation hides with a reason shown to others, audited; locking stops replies', async () => {
  const t = await thread(member, openBoard, '二手物品交换', '有需要的请联系');
  const bad = await resident.post(`/api/v1/threads/${t.id}/posts`, { body: '广告：高价回收' });
  const hide = await staff.post(`/api/v1/posts/${bad.body.id}/hide`, { hidden: true, reason: '广告内容' });
  assert.equal(hide.status, 200, hide.text);
  const seen = (await expert.get(`/api/v1/threads/${t.id}`)).body.posts.find((p) => p.id === bad.body.id);
  assert.equal(seen.notice, '已被管理员隐藏：广告内容');
  assert.equal(seen.body, undefined);
  const mod = (await staff.get(`/api/v1/threads/${t.id}`)).body.posts.find((p) => p.id === bad.body.id);
  assert.equal(mod.body, '广告：高价回收');
  assert.equal(mod.hidden_reason, '广告内容');
  const audit = await admin.get(`/api/v1/audit?object_type=post&object_id=${bad.body.id}&per_page=20`);
  const rec = audit.body.items.find((i) => i.action === 'post.hide');
  assert.ok(rec, 'the hiding is in the audit trail');
  assert.match(JSON.stringify(rec), /广告内容/);
  assert.equal((await member.post(`/api/v1/posts/${bad.body.id}/hide`, { hidden: true, reason: 'x' })).status, 403);
  assert.equal((await staff.post(`/api/v1/posts/${bad.body.id}/hide`, { hidden: true })).status, 422, 'a reason is required');
  const lock = await staff.post(`/api/v1/threads/${t.id}/lock`, { locked: true });
  assert.equal(lock.body.locked, true);
  assert.equal((await member.post(`/api/v1/threads/${t.id}/posts`, { body: '还能回复吗' })).status, 409);
  const th = await staff.post(`/api/v1/threads/${t.id}/hide`, { hidden: true, reason: '重复主题' });
  assert.equal(th.status, 200);
  const list = (await expert.get(`/api/v1/boards/${openBoard.id}/threads?per_page=100`)).body.items;
  assert.ok(!list.some((x) => x.id === t.id), 'a hidden thread leaves the list for others');
  assert.equal((await expert.get(`/api/v1/threads/${t.id}`)).status, 404);
  const own = (await member.get(`/api/v1/boards/${openBoard.id}/threads?per_page=100`)).body.items.find((x) => x.id === t.id);
  assert.equal(own.title, '已被管理员隐藏：重复主题', 'its author sees why');
});

test('the author edits within the window, the history keeps the earlier text; delete is soft', async () => {
  const t = await thread(member, openBoard, '编辑测试', '第一版');
  const pid = t.posts[0].id;
  assert.equal((await expert.patch(`/api/v1/posts/${pid}`, { body: '别人改' })).status, 403);
  const e = await member.patch(`/api/v1/posts/${pid}`, { body: '第二版' });
  assert.equal(e.status, 200, e.text);
  const h = (await member.get(`/api/v1/posts/${pid}/history`)).body;
  assert.deepEqual(h.items.map((i) => i.body), ['第一版']);
  assert.equal(h.current, '第二版');
  const p = (await expert.get(`/api/v1/threads/${t.id}`)).body.posts[0];
  assert.ok(p.edited_at > 0);
  const r = await expert.post(`/api/v1/threads/${t.id}/posts`, { body: '要删除的回复' });
  assert.equal((await member.delete(`/api/v1/posts/${r.body.id}`)).status, 403);
  assert.equal((await expert.delete(`/api/v1/posts/${r.body.id}`)).status, 204);
  const gone = (await member.get(`/api/v1/threads/${t.id}`)).body.posts.find((x) => x.id === r.body.id);
  assert.equal(gone.deleted, true);
  assert.equal(gone.notice, '该帖已删除');
});

test('search finds one- and two-character Chinese words, only in visible boards, hidden posts only for moderators', async () => {
  const a = await thread(member, openBoard, '社区议事会开会通知', '本周六在活动室讨论垃圾分类。');
  const b = await thread(member, streetBoard, '街道联谊活动', '本周日举办联谊，欢迎报名。');
  const q = async (c, word) => (await c.get(`/api/v1/boards/search?q=${encodeURIComponent(word)}&per_page=100`)).body;
  assert.ok((await q(resident, '议事')).items.some((i) => i.thread_id === a.id), 'a two-character word in the title');
  assert.ok((await q(resident, '垃圾')).items.some((i) => i.thread_id === a.id), 'a two-character word in the body');
  assert.ok((await q(resident, '圾')).items.some((i) => i.thread_id === a.id), 'a one-character word');
  assert.ok((await q(member, '联谊')).items.some((i) => i.thread_id === b.id));
  assert.ok(!(await q(outsider, '联谊')).items.some((i) => i.thread_id === b.id), 'not from a board the caller cannot see');
  assert.ok(!(await q(resident, '联谊')).items.some((i) => i.thread_id === b.id));
  await staff.post(`/api/v1/posts/${a.posts[0].id}/hide`, { hidden: true, reason: '测试' });
  assert.ok(!(await q(resident, '议事')).items.some((i) => i.thread_id === a.id), 'hidden posts are not found by others');
  assert.ok((await q(staff, '议事')).items.some((i) => i.thread_id === a.id), 'moderators still find them');
  const page = await member.get('/api/v1/boards/search?q=%E6%9C%AC%E5%91%A8&per_page=1&page=1');
  assert.equal(page.status, 200);
  assert.equal(page.body.items.length, 1);
  assert.equal((await resident.get('/api/v1/boards/search')).status, 422);
  assert.equal((await q(resident, 'xqlive')).total, 0, 'facet tokens cannot be searched');
});

test('direct messages: anyone writes to staff; residents not to organization users; unread counts', async () => {
  const s = await resident.post('/api/v1/messages', { to_user_id: staff.me.id, body: '您好，想咨询志愿活动。' });
  assert.equal(s.status, 201, s.text);
  assert.equal((await resident.post('/api/v1/messages', { to_user_id: member.me.id, body: '你好' })).status, 403);
  assert.equal((await member.post('/api/v1/messages', { to_user_id: outsider.me.id, body: '你好' })).status, 201, 'organization users write to each other');
  assert.equal((await member.post('/api/v1/messages', { to_user_id: resident.me.id, body: '你好' })).status, 403);
  const list = (await staff.get('/api/v1/messages')).body;
  const conv = list.items.find((i) => i.id === s.body.conversation_id);
  assert.equal(conv.unread, 1);
  assert.equal(conv.other_user_id, resident.me.id);
  assert.deepEqual(noticesFor(srv, staff.me.id, 'dm_conversation', conv.id), ['dm.message']);
  assert.equal((await staff.post(`/api/v1/messages/${conv.id}/read`, {})).status, 204);
  assert.equal((await staff.get('/api/v1/messages')).body.items.find((i) => i.id === conv.id).unread, 0);
  assert.equal((await staff.post('/api/v1/messages', { to_user_id: resident.me.id, body: '请看志愿活动页面。' })).status, 201);
  const msgs = (await resident.get(`/api/v1/messages/${conv.id}`)).body.items;
  assert.deepEqual(msgs.map((m) => m.mine), [true, false]);
  assert.equal((await member.get(`/api/v1/messages/${conv.id}`)).status, 404, 'not a party: not found');
  assert.equal((await liaison.post('/api/v1/messages', { to_user_id: expert.me.id, body: '您好' })).status, 201, 'liaison writes to anyone');
});
