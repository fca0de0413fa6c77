// Liaison officers through the API: rules, assignments, the contact log, follow-ups, overdue
// lists computed from fixed dates, who may do what, and the reminders task.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, ENGINE } from './harness.mjs';

let srv, admin, staff, street, liaison, liaison2, resident;
const STREET1 = '330602001000', STREET2 = '330602002000';

// The district's date (UTC+8) moved by `days`.
const day = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

// Reads the database directly (the notifications reading side belongs to another feature).
function sql(query) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [srv.db.url, '-qtAc', query], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db.url, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, street, liaison, liaison2, resident] = await Promise.all(
    ['admin', 'staff', 'street', 'liaison', 'liaison2', 'resident'].map((u) => srv.login(u)));
});
after(async () => { await srv.stop(); });

let serial = 0;
async function newOrg(streetCode = STREET1, extra = {}) {
  const res = await staff.post('/api/v1/orgs', { name: `联络测试组织${++serial}号`, type: 'social_group', street_code: streetCode, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}
async function assign(orgId, user, role = 'primary', start = day()) {
  const res = await staff.post(`/api/v1/liaison/orgs/${orgId}/officers`, { user_id: user.me.id, role, start_on: start });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const contact = (client, orgId, extra = {}, opts = {}) => client.post(`/api/v1/liaison/orgs/${orgId}/contacts`,
  { kind: 'visit', contact_on: day(), summary: '走访了解**年度计划**', ...extra }, opts);
const auditTotal = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;
const overdueOrgIds = async (client, q = '') =>
  (await client.get(`/api/v1/liaison/overdue/orgs?per_page=100${q}`)).body.items.map((i) => i.org_id);

test('the district default and the shipped rules are listed', async () => {
  const res = await liaison.get('/api/v1/liaison/rules');
  assert.equal(res.status, 200);
  const def = res.body.items.find((r) => !r.org_type && !r.min_grade && !r.key_only);
  assert.equal(def.interval_days, 90);
  assert.ok(res.body.items.some((r) => r.key_only && r.interval_days === 30));
});

test('staff assign an officer; the officer logs a contact with a follow-up and sees it in the history', async () => {
  const org = await newOrg();
  const summary = await assign(org, liaison);
  assert.equal(summary.officers[0].display_name, '联络员 陈静');
  assert.equal(summary.officers[0].role, 'primary');
  assert.equal(summary.due_on, day(90), 'never contacted: due one interval after the start');
  const res = await contact(liaison, org, { issues: '场地不足', followup: '协调活动场地', followup_due_on: day(14) });
  assert.equal(res.status, 201, res.text);
  assert.match(res.body.summary_html, /<strong>年度计划<\/strong>/);
  assert.equal(res.body.followups[0].owner_name, '联络员 陈静');
  const history = await liaison.get(`/api/v1/liaison/orgs/${org}/contacts`);
  assert.equal(history.body.total, 1);
  assert.equal(history.body.items[0].issues, '场地不足');
  const me = await liaison.get('/api/v1/liaison/me');
  assert.ok(me.body.orgs.some((o) => o.org_id === org));
  assert.ok(me.body.open_followups.some((f) => f.description === '协调活动场地'));
  assert.ok(me.body.contacts_this_month >= 1);
  const after = await liaison.get(`/api/v1/liaison/orgs/${org}`);
  assert.equal(after.body.last_contact_on, day());
  assert.equal(after.body.due_on, day(90));
});

test('a liaison of another street, or one not assigned, cannot log contacts; staff of another street cannot assign', async () => {
  const org = await newOrg(STREET1);
  const notMine = await contact(liaison, org);
  assert.equal(notMine.status, 403, 'in the street but not assigned');
  const other = await contact(liaison2, org);
  assert.equal(other.status, 403);
  const read = await liaison2.get(`/api/v1/liaison/orgs/${org}`);
  assert.equal(read.status, 403, 'a liaison of another street does not read it either');
  const org2 = await newOrg(STREET2);
  const res = await street.post(`/api/v1/liaison/orgs/${org2}/officers`, { user_id: liaison2.me.id, role: 'primary' });
  assert.equal(res.status, 403, 'street staff assign only in their street');
  const byLiaison = await liaison.post(`/api/v1/liaison/orgs/${org}/officers`, { user_id: liaison.me.id, role: 'primary' });
  assert.equal(byLiaison.status, 403);
  // once assigned, the officer of another street may act for that organization
  await assign(org, liaison2);
  assert.equal((await contact(liaison2, org)).status, 201);
  const wrongUser = await staff.post(`/api/v1/liaison/orgs/${org}/officers`, { user_id: resident.me.id, role: 'deputy' });
  assert.equal(wrongUser.status, 422);
  assert.ok(wrongUser.body.errors.some((e) => e.field === 'user_id'));
  const second = await staff.post(`/api/v1/liaison/orgs/${org}/officers`, { user_id: liaison.me.id, role: 'primary' });
  assert.equal(second.status, 409, 'one primary officer at a time');
});

test('bad contact input names every bad field and changes nothing', async () => {
  const org = await newOrg();
  await assign(org, liaison);
  const before = await auditTotal();
  const res = await contact(liaison, org, { kind: 'letter', contact_on: day(3), summary: '', followup: '回复', followup_due_on: 'soon', extra: 1 }, { invalid: true });
  assert.equal(res.status, 422);
  const fields = res.body.errors.map((e) => e.field).sort();
  for (const f of ['kind', 'summary', 'followup_due_on', 'extra']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  const future = await contact(liaison, org, { contact_on: day(3) });
  assert.equal(future.status, 422);
  assert.equal(future.body.errors[0].field, 'contact_on');
  const noDue = await contact(liaison, org, { followup: '回复' });
  assert.ok(noDue.body.errors.some((e) => e.field === 'followup_due_on'));
  assert.equal(await auditTotal(), before);
  assert.equal((await liaison.get(`/api/v1/liaison/orgs/${org}/contacts`)).body.total, 0);
});

test('overdue organizations follow the last contact, the key flag and rule changes', async () => {
  const org = await newOrg();
  await assign(org, liaison, 'primary', day(-200));
  assert.ok((await overdueOrgIds(staff)).includes(org), 'never contacted since 200 days ago');
  assert.equal((await contact(liaison, org, { contact_on: day(-100) })).status, 201);
  let s = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(s.due_on, day(-10));
  assert.equal(s.overdue, true);
  assert.ok((await overdueOrgIds(liaison)).includes(org), 'the officer sees it in their list');
  assert.ok(!(await overdueOrgIds(liaison2)).includes(org), 'another officer does not');
  assert.ok(!(await overdueOrgIds(staff, `&street=${STREET2}`)).includes(org), 'street filter');
  assert.ok((await overdueOrgIds(staff, `&officer=${liaison.me.id}`)).includes(org), 'officer filter');
  await contact(liaison, org, { contact_on: day(-45), kind: 'call' });
  s = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(s.last_contact_on, day(-45));
  assert.equal(s.overdue, false);
  // an older contact logged late does not move the last contact back
  await contact(liaison, org, { contact_on: day(-60) });
  assert.equal((await staff.get(`/api/v1/liaison/orgs/${org}`)).body.last_contact_on, day(-45));
  // key organizations: monthly (the shipped key rule, 30 days)
  const key = await staff.patch(`/api/v1/liaison/orgs/${org}`, { is_key: true });
  assert.equal(key.status, 200, key.text);
  assert.equal(key.body.interval_days, 30);
  assert.equal(key.body.due_on, day(-15));
  assert.ok((await overdueOrgIds(staff)).includes(org));
  await staff.patch(`/api/v1/liaison/orgs/${org}`, { is_key: false });
  assert.ok(!(await overdueOrgIds(staff)).includes(org));
  // a rule for the organization's type wins over the district default
  const rule = await staff.post('/api/v1/liaison/rules', { name: '社会团体：每 40 天', org_type: 'social_group', interval_days: 40 });
  assert.equal(rule.status, 201, rule.text);
  assert.ok(rule.body.organizations >= 1);
  s = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(s.interval_days, 40);
  assert.equal(s.due_on, day(-5));
  assert.ok((await overdueOrgIds(staff)).includes(org));
  assert.equal((await staff.delete(`/api/v1/liaison/rules/${rule.body.id}`)).status, 204);
  assert.equal((await staff.get(`/api/v1/liaison/orgs/${org}`)).body.interval_days, 90);
});

test('a new grade moves the organization to the 4A rule at once, in the same change', async () => {
  const org = await newOrg();
  await assign(org, liaison, 'primary', day(-100));
  await contact(liaison, org, { contact_on: day(-70) });
  assert.ok(!(await overdueOrgIds(staff)).includes(org), 'quarterly: not yet due');
  const year = Number(day().slice(0, 4)) - 1;
  const grade = await staff.post(`/api/v1/orgs/${org}/grades`, { grade: '4A', announced_on: `${year}-06-01` });
  assert.equal(grade.status, 201, grade.text);
  // no task has run: the grade change itself recomputed the due date
  const s = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(s.interval_days, 60);
  assert.equal(s.due_on, day(-10));
  assert.equal(s.overdue, true);
  assert.ok((await overdueOrgIds(staff)).includes(org));
  assert.ok((await overdueOrgIds(liaison)).includes(org), 'in the officer\'s list too');
});

test('a new type moves the organization to that type\'s rule at once', async () => {
  const org = await newOrg();
  await assign(org, liaison, 'primary', day(-100));
  await contact(liaison, org, { contact_on: day(-40) });
  assert.ok(!(await overdueOrgIds(staff)).includes(org));
  const rule = await staff.post('/api/v1/liaison/rules', { name: '基金会每月联系', org_type: 'foundation', interval_days: 30 });
  assert.equal(rule.status, 201, rule.text);
  assert.ok(!(await overdueOrgIds(staff)).includes(org), 'a social group: the rule does not apply');
  const version = (await staff.get(`/api/v1/orgs/${org}`)).body.version;
  const change = await staff.patch(`/api/v1/orgs/${org}`, { version, type: 'foundation' });
  assert.equal(change.status, 200, change.text);
  const s = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(s.interval_days, 30);
  assert.equal(s.due_on, day(-10));
  assert.ok((await overdueOrgIds(staff)).includes(org));
  assert.equal((await staff.delete(`/api/v1/liaison/rules/${rule.body.id}`)).status, 204);
});

test('rules are validated, unique by conditions, and the district default stays', async () => {
  const before = await auditTotal();
  const bad = await staff.post('/api/v1/liaison/rules', { name: '', org_type: 'club', min_grade: '6A', interval_days: 0 }, { invalid: true });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['interval_days', 'min_grade', 'name', 'org_type']);
  const rules = (await staff.get('/api/v1/liaison/rules')).body.items;
  const def = rules.find((r) => !r.org_type && !r.min_grade && !r.key_only);
  assert.equal((await staff.delete(`/api/v1/liaison/rules/${def.id}`)).status, 409);
  const dup = await staff.post('/api/v1/liaison/rules', { name: '又一个重点规则', key_only: true, interval_days: 20 });
  assert.equal(dup.status, 409);
  assert.equal(await auditTotal(), before, 'nothing changed');
  assert.equal((await street.post('/api/v1/liaison/rules', { name: '街道自定', interval_days: 10 })).status, 403, 'street staff do not set district rules');
  assert.equal((await liaison.post('/api/v1/liaison/rules', { name: '联络员自定', interval_days: 10 })).status, 403);
  const upd = await staff.put(`/api/v1/liaison/rules/${def.id}`, { name: '区默认：每季度', interval_days: 91 });
  assert.equal(upd.status, 200);
  assert.equal(upd.body.interval_days, 91);
  await staff.put(`/api/v1/liaison/rules/${def.id}`, { name: '区默认：每季度', interval_days: 90 });
});

test('a follow-up past its due date is listed until it is closed', async () => {
  const org = await newOrg();
  await assign(org, liaison);
  const res = await contact(liaison, org, { contact_on: day(-40), followup: '反馈政策答复', followup_due_on: day(-10) });
  const fid = res.body.followups[0].id;
  const list = (await staff.get('/api/v1/liaison/overdue/followups?per_page=100')).body;
  const item = list.items.find((f) => f.id === fid);
  assert.ok(item, 'listed');
  assert.equal(item.due_on, day(-10));
  assert.equal(item.org_id, org);
  assert.ok((await liaison.get('/api/v1/liaison/overdue/followups?per_page=100')).body.items.some((f) => f.id === fid));
  assert.ok(!(await liaison2.get('/api/v1/liaison/overdue/followups?per_page=100')).body.items.some((f) => f.id === fid));
  assert.equal((await liaison2.post(`/api/v1/liaison/followups/${fid}/close`, { note: '不是我的' })).status, 403);
  const bad = await liaison.post(`/api/v1/liaison/followups/${fid}/close`, {}, { invalid: true });
  assert.equal(bad.status, 422);
  assert.equal((await liaison.post(`/api/v1/liaison/followups/${fid}/close`, { note: '已电话答复' })).status, 204);
  assert.equal((await liaison.post(`/api/v1/liaison/followups/${fid}/close`, { note: '再次' })).status, 409);
  assert.ok(!(await staff.get('/api/v1/liaison/overdue/followups?per_page=100')).body.items.some((f) => f.id === fid));
  const c = await liaison.get(`/api/v1/liaison/contacts/${res.body.id}`);
  assert.equal(c.body.followups[0].status, 'closed');
  assert.equal(c.body.followups[0].close_note, '已电话答复');
});

test('ending an assignment keeps it as history and takes the organization off the officer', async () => {
  const org = await newOrg();
  const s = await assign(org, liaison, 'primary', day(-30));
  const id = s.officers[0].id;
  assert.equal((await staff.post(`/api/v1/liaison/assignments/${id}/end`)).status, 204);
  const after = (await staff.get(`/api/v1/liaison/orgs/${org}`)).body;
  assert.equal(after.officers.length, 1);
  assert.equal(after.officers[0].active, false);
  assert.equal((await contact(liaison, org)).status, 403, 'no longer the officer');
  assert.equal((await staff.post(`/api/v1/liaison/assignments/${id}/end`)).status, 409);
  assert.ok(!(await liaison.get('/api/v1/liaison/me')).body.orgs.some((o) => o.org_id === org));
});

test('staff see officers with workloads; an officer sees only their own', async () => {
  const res = await staff.get('/api/v1/liaison/officers');
  assert.equal(res.status, 200);
  const chen = res.body.items.find((o) => o.user_id === liaison.me.id);
  assert.ok(chen.organizations >= 1);
  for (const k of ['contacts_this_month', 'contacts_this_quarter', 'overdue_organizations', 'overdue_followups']) assert.equal(typeof chen[k], 'number');
  const streetView = (await street.get('/api/v1/liaison/officers')).body.items.map((o) => o.user_id);
  assert.ok(streetView.includes(liaison.me.id));
  assert.equal((await liaison.get(`/api/v1/liaison/officers/${liaison2.me.id}`)).status, 403);
  assert.equal((await liaison.get(`/api/v1/liaison/officers/${liaison.me.id}`)).status, 200);
});

test('reminders tell the officer and the managers once a week, not twice', async () => {
  const org = await newOrg(STREET2);
  await assign(org, liaison2, 'primary', day(-120));
  const run = srv.cli(['tasks', 'run', 'liaison.reminders']);
  assert.equal(run.status, 0, run.stderr);
  const rows = () => sql(`SELECT user_id FROM notification WHERE kind = 'liaison.org_overdue' AND object_id = ${org} ORDER BY user_id`)
    .split('\n').filter(Boolean).map(Number);
  const told = rows();
  assert.ok(told.includes(liaison2.me.id), 'the officer');
  assert.ok(told.includes(staff.me.id), 'district staff (the street has no staff of its own)');
  assert.ok(!told.includes(street.me.id), 'not the staff of another street');
  assert.equal(srv.cli(['tasks', 'run', 'liaison.reminders']).status, 0);
  assert.deepEqual(rows(), told, 'a second run within the week tells nobody again');
  const before = Number(sql(`SELECT COUNT(*) FROM notification WHERE kind = 'liaison.followup_overdue'`));
  assert.ok(before > 0, 'the demo has follow-ups past due');
});
