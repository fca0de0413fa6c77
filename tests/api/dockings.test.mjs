// Dockings (供需对接): proposal by either side or staff, refusal of self-docking and of
// mismatched units / too large quantities, separate acceptance by both sides with concurrent
// acceptances resolved by the version (one wins, the other gets 409), progress, fulfilment
// lowering both items' remaining quantities in the same transaction, ratings feeding the
// trust counters, notifications and the audit trail. Runs on both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, DEMO_PASSWORD, ENGINE } from './harness.mjs';

// Reads the database directly (notifications have no reading API in this part).
function sql(q) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [srv.db.url, '-qtAc', q], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db.url, q], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

let srv, admin, staff, orgadmin, orgadmin2, member, resident;
let orgA, orgB, orgC; // orgadmin's, orgadmin2's, and an uninvolved one

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, orgadmin, member, resident] = await Promise.all(
    ['admin', 'staff', 'orgadmin', 'member', 'resident'].map((u) => srv.login(u)));
  const orgs = (await admin.get('/api/v1/orgs?per_page=100&sort=created')).body.items;
  [orgA, orgB, orgC] = [orgs[0].id, orgs[4].id, orgs[6].id];
  const r = srv.cli(['user', 'add', 'orgadmin2', '--name', '第二组织管理员', '--role', 'org_admin', '--org', String(orgB), '--password', DEMO_PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
  orgadmin2 = await srv.login('orgadmin2');
});
after(async () => { await srv.stop(); });

async function post(client, kind, body) {
  const res = await client.post(`/api/v1/${kind}`, body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const needOf = (org, o = {}) => ({ org_id: org, title: '助老志愿者', category: 'volunteers', unit: 'people', quantity: 10, ...o });

test('an organization proposes; self-docking, unit mismatch and excess quantity are refused', async () => {
  const need = await post(orgadmin, 'needs', needOf(orgA));
  const res = await post(orgadmin2, 'resources', needOf(orgB, { title: '大学生志愿者', quantity: 6 }));
  const own = await post(orgadmin, 'resources', needOf(orgA, { title: '本组织志愿者' }));
  const money = await post(orgadmin2, 'resources', needOf(orgB, { title: '资金', category: 'funds', unit: 'yuan', quantity: 1000 }));
  const self = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: own.id, quantity: 1 });
  assert.equal(self.status, 422);
  assert.ok(self.body.errors.some((e) => e.field === 'resource_id'));
  assert.equal((await staff.post('/api/v1/dockings', { need_id: need.id, resource_id: own.id, quantity: 1 })).status, 422, 'staff cannot either');
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: money.id, quantity: 1 })).status, 422);
  const tooMuch = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 7 });
  assert.equal(tooMuch.status, 422);
  assert.ok(tooMuch.body.errors.some((e) => e.field === 'quantity'));
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: res.id, resource_id: need.id, quantity: 1 })).status, 422, 'swapped kinds');
  const outsider = await post(admin, 'needs', needOf(orgC));
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: outsider.id, resource_id: res.id, quantity: 1 })).status, 403, 'neither side is theirs');
  const d = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 5, note: '周六上午' });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.body.status, 'proposed');
  assert.ok(d.body.need_accepted_at, 'the proposing side has accepted');
  assert.equal(d.body.resource_accepted_at, null);
  const again = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 1 });
  assert.equal(again.status, 409, 'one live docking per pair');
});

test('the full journey: accept, start, fulfil with ratings; quantities, statuses and trust follow', async () => {
  const need = await post(orgadmin, 'needs', needOf(orgA, { title: '儿童课后辅导', quantity: 8 }));
  const res = await post(orgadmin2, 'resources', needOf(orgB, { title: '师范生辅导队', quantity: 5 }));
  const trustBefore = (await member.get(`/api/v1/orgs/${orgB}/trust`)).body;
  let d = (await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 5 })).body;
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version })).status, 409, 'already accepted');
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d.id}/start`, { version: d.version })).status, 409, 'not accepted by both');
  const acc = await orgadmin2.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.status, 'accepted');
  assert.deepEqual(acc.body.my_sides, ['resource']);
  d = (await orgadmin2.post(`/api/v1/dockings/${d.id}/start`, { version: acc.body.version })).body;
  assert.equal(d.status, 'in_progress');
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d.id}/fulfil`, { version: d.version, quantity: 9 })).status, 422, 'more than agreed');
  const done = await orgadmin.post(`/api/v1/dockings/${d.id}/fulfil`, { version: d.version, rating: 5, feedback: '辅导认真，孩子们很喜欢' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.status, 'fulfilled');
  assert.equal(done.body.need_rating, 5);
  const needAfter = (await orgadmin.get(`/api/v1/needs/${need.id}`)).body;
  const resAfter = (await orgadmin.get(`/api/v1/resources/${res.id}`)).body;
  assert.equal(needAfter.remaining, 3);
  assert.equal(needAfter.status, 'partly_matched');
  assert.equal(resAfter.remaining, 0);
  assert.equal(resAfter.status, 'fulfilled');
  const trustB = (await member.get(`/api/v1/orgs/${orgB}/trust`)).body;
  assert.equal(trustB.fulfilled, trustBefore.fulfilled + 1);
  assert.equal(trustB.rating_count, trustBefore.rating_count + 1);
  const fb = await orgadmin2.post(`/api/v1/dockings/${d.id}/feedback`, { version: done.body.version, rating: 4, feedback: '对接顺畅' });
  assert.equal(fb.status, 200, fb.text);
  assert.equal(fb.body.resource_rating, 4);
  assert.equal((await orgadmin2.post(`/api/v1/dockings/${d.id}/feedback`, { version: fb.body.version, rating: 1 })).status, 409, 'rated once');
  const trustA = (await member.get(`/api/v1/orgs/${orgA}/trust`)).body;
  assert.ok(trustA.rating_count >= 1 && trustA.rating_mean > 0);
  // the fulfilled resource is no longer open for new dockings
  const need2 = await post(orgadmin, 'needs', needOf(orgA, { title: '另一需求', quantity: 1 }));
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: need2.id, resource_id: res.id, quantity: 1 })).status, 422, 'nothing remains');
  // every step is audited
  const audit = await admin.get(`/api/v1/audit?object_type=docking&object_id=${d.id}&per_page=50`);
  const actions = audit.body.items.map((a) => a.action).sort();
  assert.deepEqual(actions, ['docking.accept', 'docking.feedback', 'docking.fulfil', 'docking.propose', 'docking.start']);
  // both organizations see it; an uninvolved member does not
  assert.ok((await orgadmin.get(`/api/v1/dockings?org=${orgA}`)).body.items.some((x) => x.id === d.id));
  assert.ok((await orgadmin2.get('/api/v1/dockings')).body.items.some((x) => x.id === d.id));
  assert.equal((await resident.get('/api/v1/dockings')).status, 403);
});

test('concurrent acceptances: one wins, the other gets 409 stale_version and retries', async () => {
  const need = await post(orgadmin, 'needs', needOf(orgA, { title: '并发测试需求', quantity: 4 }));
  const res = await post(orgadmin2, 'resources', needOf(orgB, { title: '并发测试资源', quantity: 4 }));
  const d = (await staff.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 4 })).body;
  assert.equal(d.need_accepted_at, null, 'staff proposals wait for both sides');
  const [a, b] = await Promise.all([
    orgadmin.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version }),
    orgadmin2.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version }),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [200, 409], `${a.text} ${b.text}`);
  const loser = a.status === 409 ? orgadmin : orgadmin2;
  assert.equal((a.status === 409 ? a : b).body.code, 'stale_version');
  const fresh = (await loser.get(`/api/v1/dockings/${d.id}`)).body;
  assert.equal(fresh.status, 'proposed');
  const retry = await loser.post(`/api/v1/dockings/${d.id}/accept`, { version: fresh.version });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.status, 'accepted');
  assert.equal((await staff.post(`/api/v1/dockings/${d.id}/accept`, { version: retry.body.version, side: 'need' })).status, 409);
});

test('fail needs a reason; staff act for a named side; notifications reach the other side', async () => {
  const need = await post(orgadmin, 'needs', needOf(orgA, { title: '失败的对接需求', quantity: 2 }));
  const res = await post(orgadmin2, 'resources', needOf(orgB, { title: '失败的对接资源', quantity: 2 }));
  const d = (await orgadmin2.post('/api/v1/dockings', { need_id: need.id, resource_id: res.id, quantity: 2 })).body;
  const noSide = await staff.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version });
  assert.equal(noSide.status, 422, 'staff must name the side');
  const accepted = await staff.post(`/api/v1/dockings/${d.id}/accept`, { version: d.version, side: 'need' });
  assert.equal(accepted.body.status, 'accepted');
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d.id}/fail`, { version: accepted.body.version }, { invalid: true })).status, 422);
  const failed = await orgadmin.post(`/api/v1/dockings/${d.id}/fail`, { version: accepted.body.version, reason: '时间冲突', rating: 3 });
  assert.equal(failed.status, 200, failed.text);
  assert.equal(failed.body.status, 'failed');
  assert.equal(failed.body.fail_reason, '时间冲突');
  assert.equal((await orgadmin.get(`/api/v1/needs/${need.id}`)).body.remaining, 2, 'nothing consumed');
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d.id}/start`, { version: failed.body.version })).status, 409);
  // each step told the other side: orgadmin (need side) heard of the proposal and acceptance,
  // orgadmin2 (resource side) of the failure; nobody was told of their own act
  const kinds = (user) => sql(`SELECT n.kind FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = '${user}' AND n.object_id = ${d.id} AND n.object_type = 'docking' ORDER BY n.id`);
  assert.deepEqual(kinds('orgadmin'), ['docking.proposed', 'docking.accepted']);
  assert.deepEqual(kinds('orgadmin2'), ['docking.accepted', 'docking.fail']);
});

// Conditions (eligible organization types, minimum grade) are hard: proposing refuses with a
// field-level message and changes nothing; accepting re-checks them, since a grade can lapse
// between the proposal and the acceptance.
test('a docking refuses an organization that does not meet the other side\'s conditions', async () => {
  const [a, b] = await Promise.all([orgA, orgB].map(async (id) => (await admin.get(`/api/v1/orgs/${id}`)).body));
  const other = ['social_group', 'foundation'].find((x) => x !== a.type);
  const need = await post(orgadmin, 'needs', needOf(orgA, { title: '条件测试需求', quantity: 3 }));
  const typed = await post(orgadmin2, 'resources', needOf(orgB, { title: '仅面向他类组织的资源', quantity: 3, eligible_types: [other] }));
  const graded = await post(orgadmin2, 'resources', needOf(orgB, { title: '需要三星等级的资源', quantity: 3, min_grade: '3A' }));
  // whatever grade the demo gave orgA has ended (the daily lapse task has not run yet: the
  // rule reads the validity itself)
  srv.sql(`UPDATE org_grade SET valid_to = '2000-12-31' WHERE org_id = ${orgA}`);
  const auditBefore = (await admin.get('/api/v1/audit?per_page=1')).body.total;
  const r1 = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: typed.id, quantity: 1 });
  assert.equal(r1.status, 422, r1.text);
  const e1 = r1.body.errors.find((e) => e.field === 'resource_id');
  assert.match(e1.message, /^该资源仅面向(社会团体|基金会)类型的组织$/);
  const r2 = await staff.post('/api/v1/dockings', { need_id: need.id, resource_id: graded.id, quantity: 1 });
  assert.equal(r2.status, 422, r2.text);
  assert.ok(r2.body.errors.some((e) => e.field === 'resource_id' && e.message.includes('3A 及以上')), r2.text);
  const en = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: graded.id, quantity: 1 }, { lang: 'en' });
  assert.ok(en.body.errors.some((e) => e.message.includes('3A or above')), en.text);
  // the need's own conditions bind the offering organization too
  assert.equal((await admin.get('/api/v1/audit?per_page=1')).body.total, auditBefore, 'nothing changed');
  const picky = await post(orgadmin, 'needs', needOf(orgA, { title: '挑剔的需求', quantity: 3, eligible_types: [['social_group', 'foundation'].find((x) => x !== b.type)] }));
  const plain = await post(orgadmin2, 'resources', needOf(orgB, { title: '普通资源', quantity: 3 }));
  const auditMid = (await admin.get('/api/v1/audit?per_page=1')).body.total;
  const r3 = await orgadmin2.post('/api/v1/dockings', { need_id: picky.id, resource_id: plain.id, quantity: 1 });
  assert.equal(r3.status, 422);
  assert.ok(r3.body.errors.some((e) => e.field === 'need_id' && e.message.startsWith('该需求仅面向')), r3.text);
  assert.equal((await admin.get('/api/v1/audit?per_page=1')).body.total, auditMid, 'nothing changed');
  assert.equal((await admin.get(`/api/v1/dockings?item=${need.id}`)).body.total, 0);

  // a 5A announced for a later period does not count yet, in the conditions as in the registry
  const year = new Date().getFullYear();
  const future = await staff.post(`/api/v1/orgs/${orgA}/grades`, { grade: '5A', announced_on: `${year}-01-02`, valid_from: `${year + 1}-01-01`, valid_to: `${year + 5}-12-31` });
  assert.equal(future.status, 201, future.text);
  const early = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: graded.id, quantity: 1 });
  assert.equal(early.status, 422, early.text);
  assert.ok(early.body.errors.some((e) => e.field === 'resource_id' && e.message.includes('3A 及以上')), early.text);
  assert.equal((await admin.get(`/api/v1/orgs/${orgA}`)).body.current_grade, null);
  srv.sql(`DELETE FROM org_grade WHERE org_id = ${orgA} AND grade = '5A'`);

  // a valid 4A grade passes; when it lapses before the acceptance, the acceptance is refused
  assert.equal((await staff.post(`/api/v1/orgs/${orgA}/grades`, { grade: '4A', announced_on: `${year - 1}-06-01` })).status, 201);
  const ok = await orgadmin.post('/api/v1/dockings', { need_id: need.id, resource_id: graded.id, quantity: 1 });
  assert.equal(ok.status, 201, ok.text);
  srv.sql(`UPDATE org_grade SET valid_to = '${year - 1}-12-31' WHERE org_id = ${orgA}`);
  const late = await orgadmin2.post(`/api/v1/dockings/${ok.body.id}/accept`, { version: ok.body.version });
  assert.equal(late.status, 422, late.text);
  assert.ok(late.body.errors.some((e) => e.field === 'resource_id' && e.message.includes('3A')));
  const still = (await orgadmin2.get(`/api/v1/dockings/${ok.body.id}`)).body;
  assert.equal(still.status, 'proposed');
  assert.equal(still.version, ok.body.version, 'nothing changed');
});
