// Announcements: the audience is resolved when published and stays fixed; addressed
// organizations' users are told, acknowledge ("已阅"), and the sender sees who has and has not
// read; reminders go only to the unread, at most once a day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.mjs';
import { noticesFor } from './boards_helpers.mjs';

let srv, admin, staff, street, member, orgadmin, resident, supervisor;
let ownOrg, otherOrg, otherUser;

async function addOrgUser(username, orgId) {
  const res = await admin.post('/api/v1/users', {
    username, display_name: `用户${username}`, password: DEMO_PASSWORD, roles: [{ role: 'org_member', org_id: orgId }],
  });
  assert.equal(res.status, 201, res.text);
  return srv.login(username);
}


before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, street, member, orgadmin, resident, supervisor] = await Promise.all(
    ['admin', 'staff', 'street', 'member', 'orgadmin', 'resident', 'supervisor'].map((u) => srv.login(u)));
  ownOrg = (await staff.get(`/api/v1/orgs/${member.me.member_org_ids[0] || member.me.org_ids?.[0]}`)).body;
  const others = (await staff.get(`/api/v1/orgs?per_page=50&type=${ownOrg.type}`)).body.items.filter((o) => o.id !== ownOrg.id);
  otherOrg = others[0];
  otherUser = await addOrgUser('otherorg', otherOrg.id);
});
after(async () => { await srv.stop(); });

async function publish(client, body) {
  const draft = await client.post('/api/v1/announcements', body);
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.body.status, 'draft');
  const pub = await client.post(`/api/v1/announcements/${draft.body.id}/publish`, {});
  assert.equal(pub.status, 200, pub.text);
  return pub.body;
}

test('a chosen list reaches exactly those organizations, and only their users see it', async () => {
  const a = await publish(staff, { title: '关于开展年度检查的通知', body: '请于**本月底**前提交材料。', audience_kind: 'orgs', audience_values: [ownOrg.id] });
  assert.equal(a.recipient_count, 1);
  assert.match(a.body_html, /<strong>本月底<\/strong>/);
  const inbox = await member.get('/api/v1/announcements/inbox');
  assert.ok(inbox.body.items.some((i) => i.id === a.id && i.unread));
  assert.ok(inbox.body.unread_total >= 1);
  assert.deepEqual(noticesFor(srv, member.me.id, 'announcement', a.id), ['announcement.new']);
  assert.deepEqual(noticesFor(srv, otherUser.me.id, 'announcement', a.id), []);
  assert.equal((await otherUser.get(`/api/v1/announcements/${a.id}`)).status, 404);
  assert.ok(!(await otherUser.get('/api/v1/announcements/inbox')).body.items.some((i) => i.id === a.id));
  assert.equal((await otherUser.post(`/api/v1/announcements/${a.id}/ack`, {})).status, 403);
});

test('an audience by type is fixed at publish time: a later change of type does not add or drop', async () => {
  const a = await publish(staff, { title: '类型通知', body: '正文', audience_kind: 'type', audience_values: [ownOrg.type] });
  const total = (await staff.get(`/api/v1/orgs?type=${ownOrg.type}&per_page=1`)).body.total;
  assert.equal(a.recipient_count, total);
  const o = (await staff.get(`/api/v1/orgs/${otherOrg.id}`)).body;
  const newType = ownOrg.type === 'foundation' ? 'social_group' : 'foundation';
  const upd = await staff.patch(`/api/v1/orgs/${otherOrg.id}`, { version: o.version, type: newType });
  assert.equal(upd.status, 200, upd.text);
  const rec = await staff.get(`/api/v1/announcements/${a.id}/receipts?per_page=100`);
  assert.equal(rec.body.total, total);
  assert.ok(rec.body.items.some((i) => i.org_id === otherOrg.id), 'still addressed after the change');
  // restore
  const o2 = (await staff.get(`/api/v1/orgs/${otherOrg.id}`)).body;
  await staff.patch(`/api/v1/orgs/${otherOrg.id}`, { version: o2.version, type: ownOrg.type });
});

test('acknowledging counts the organization once; the sender sees who has and has not read', async () => {
  const a = await publish(staff, { title: '阅读回执测试', body: '请确认', audience_kind: 'orgs', audience_values: [ownOrg.id, otherOrg.id] });
  assert.equal(a.recipient_count, 2);
  const ack = await member.post(`/api/v1/announcements/${a.id}/ack`, {});
  assert.equal(ack.status, 200, ack.text);
  assert.ok(ack.body.acknowledged_at > 0);
  assert.equal((await orgadmin.post(`/api/v1/announcements/${a.id}/ack`, {})).status, 200);
  assert.equal((await member.post(`/api/v1/announcements/${a.id}/ack`, {})).status, 200, 'idempotent');
  const detail = (await staff.get(`/api/v1/announcements/${a.id}`)).body;
  assert.equal(detail.read_count, 1, 'the organization counts once');
  const read = (await staff.get(`/api/v1/announcements/${a.id}/receipts?state=read`)).body;
  assert.deepEqual(read.items.map((i) => i.org_id), [ownOrg.id]);
  assert.equal(read.items[0].first_reader_id, member.me.id);
  assert.equal(read.items[0].readers, 2);
  const unread = (await staff.get(`/api/v1/announcements/${a.id}/receipts?state=unread`)).body;
  assert.deepEqual(unread.items.map((i) => i.org_id), [otherOrg.id]);
  const byStreet = (await staff.get(`/api/v1/announcements/${a.id}/receipts?street=${otherOrg.street_code}`)).body;
  assert.ok(byStreet.items.every((i) => i.street_code === otherOrg.street_code));
  assert.ok(!(await member.get('/api/v1/announcements/inbox?unread=1')).body.items.some((i) => i.id === a.id));
  assert.equal((await supervisor.get(`/api/v1/announcements/${a.id}/receipts`)).status, 200);
  assert.equal((await member.get(`/api/v1/announcements/${a.id}/receipts`)).status, 403);
});

test('a reminder goes to unread organizations at most once a day, and is audited', async () => {
  const a = await publish(staff, { title: '提醒测试', body: '请确认', audience_kind: 'orgs', audience_values: [ownOrg.id, otherOrg.id] });
  await member.post(`/api/v1/announcements/${a.id}/ack`, {});
  const r1 = await staff.post(`/api/v1/announcements/${a.id}/remind`, {});
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.body.reminded_users, 1, 'only the user of the unread organization');
  assert.deepEqual(noticesFor(srv, otherUser.me.id, 'announcement', a.id), ['announcement.new', 'announcement.remind']);
  assert.deepEqual(noticesFor(srv, member.me.id, 'announcement', a.id), ['announcement.new']);
  const r2 = await staff.post(`/api/v1/announcements/${a.id}/remind`, {});
  assert.equal(r2.status, 409);
  assert.match(r2.body.detail, /每天最多提醒一次/);
  const detail = (await staff.get(`/api/v1/announcements/${a.id}`)).body;
  assert.ok(detail.last_reminded_at > 0);
  const audit = await admin.get(`/api/v1/audit?object_type=announcement&object_id=${a.id}&per_page=50`);
  assert.ok(audit.body.items.some((i) => i.action === 'announcement.remind'));
});

test('a street staff member reaches only their street, even when addressing all', async () => {
  const a = await publish(street, { title: '街道通知', body: '街道内', audience_kind: 'all' });
  const rec = (await street.get(`/api/v1/announcements/${a.id}/receipts?per_page=100`)).body;
  assert.ok(rec.total > 0);
  const jur = street.me.jurisdiction;
  assert.ok(rec.items.every((i) => i.street_code.slice(0, 9) === jur.slice(0, 9)));
  assert.ok(rec.total < (await staff.get('/api/v1/orgs?per_page=1')).body.total);
});

test('drafts change until published, then not; others cannot publish', async () => {
  const d = await staff.post('/api/v1/announcements', { title: '草稿', body: '内容', audience_kind: 'street', audience_values: [ownOrg.street_code] });
  const p = await staff.patch(`/api/v1/announcements/${d.body.id}`, { version: d.body.version, title: '草稿（改）' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.title, '草稿（改）');
  assert.equal((await member.get(`/api/v1/announcements/${d.body.id}`)).status, 404, 'a draft is not in inboxes');
  assert.equal((await resident.post(`/api/v1/announcements/${d.body.id}/publish`, {})).status, 403);
  assert.equal((await staff.post(`/api/v1/announcements/${d.body.id}/publish`, {})).status, 200);
  const late = await staff.patch(`/api/v1/announcements/${d.body.id}`, { version: p.body.version + 1, title: 'x' });
  assert.equal(late.status, 409);
  const bad = await staff.post('/api/v1/announcements', { title: 'x', body: 'y', audience_kind: 'orgs' });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.errors.some((e) => e.field === 'audience_values'));
  const empty = await staff.post('/api/v1/announcements', { title: 'x', body: 'y', audience_kind: 'orgs', audience_values: [99999999] });
  assert.equal((await staff.post(`/api/v1/announcements/${empty.body.id}/publish`, {})).status, 409);
});
