// The talent and expert pool (人才库/专家库) beyond its basic list: the street of an entry,
// search with one- and two-character words, experts suggested for an expertise need with
// explained parts (专家建议), and experts docked directly: proposed by the need's
// organization or staff, accepted by the expert's own account (or staff on their behalf),
// fulfilled with a rating; the need's quantity goes down, the expert is told. Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.mjs';

const HEPING = '330602001000';
let srv, admin, staff, orgadmin, member, expert, expert2;
let ownOrg, sun, wang, zhao, lawyer;

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, orgadmin, member, expert] = await Promise.all(
    ['admin', 'staff', 'orgadmin', 'member', 'expert'].map((u) => srv.login(u)));
  ownOrg = (await admin.get('/api/v1/orgs?per_page=1&sort=created')).body.items[0].id;
  const r = srv.cli(['user', 'add', 'expert2', '--name', '另一位专家', '--role', 'expert', '--password', DEMO_PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
  expert2 = await srv.login('expert2');
  const all = (await staff.get('/api/v1/talents?per_page=100')).body.items;
  const by = (name) => all.find((t) => t.name === name);
  [sun, wang, zhao, lawyer] = [by('孙教授'), by('王心怡'), by('赵工'), by('李律师')];
  assert.ok(sun && wang && zhao && lawyer, 'the demo pool');
  assert.equal(sun.user_id, expert.me.id, 'the demo expert account is 孙教授');
});
after(async () => { await srv.stop(); });

const auditTotal = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;
const expertiseNeed = (o = {}) => ({ org_id: ownOrg, title: '社区心理咨询与危机干预支持', category: 'expertise', unit: 'hours', quantity: 20, fields: ['health', 'social_service'], description: '需要心理咨询师为独居老人提供心理慰藉和危机干预。', ...o });

test('an entry keeps its street; search finds one- and two-character words; contacts masked', async () => {
  const made = await staff.post('/api/v1/talents', { name: '冯医生', kind: 'expert', skills: ['康复训练'], fields: ['health'], street_code: HEPING, hours_per_month: 6, phone: '13700003456' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.street_code, HEPING);
  assert.ok(made.body.street_name);
  const bad = await staff.post('/api/v1/talents', { name: '某人', street_code: '330602999000' });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.errors.some((e) => e.field === 'street_code'));
  const two = (await member.get('/api/v1/talents?q=' + encodeURIComponent('康复训'))).body.items;
  assert.deepEqual(two.map((t) => t.name), ['冯医生']);
  const word = (await member.get('/api/v1/talents?q=' + encodeURIComponent('康复'))).body.items.map((t) => t.name).sort();
  assert.deepEqual(word, ['冯医生', '陈护士长'], 'the two-character word of 康复训练 and 康复指导');
  const one = (await member.get('/api/v1/talents?q=' + encodeURIComponent('康'))).body.items;
  assert.ok(one.some((t) => t.name === '冯医生'));
  assert.equal(two[0].phone, '137****3456', 'masked for a member');
  assert.equal((await member.get('/api/v1/talents?kind=expert&field=sports')).body.total, 0);
  assert.equal((await staff.get(`/api/v1/talents/${made.body.id}`)).body.phone, '13700003456');
  const edited = await staff.patch(`/api/v1/talents/${made.body.id}`, { version: made.body.version, street_code: null });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.street_code, null);
});

test('experts are suggested for an expertise need with the reason of every part', async () => {
  const need = (await orgadmin.post('/api/v1/needs', expertiseNeed())).body;
  assert.equal((await staff.post('/api/v1/talents', { name: '韩教练', kind: 'expert', skills: ['篮球训练'], fields: ['sports'], hours_per_month: 30 })).status, 201);
  const res = await orgadmin.get(`/api/v1/needs/${need.id}/expert-suggestions`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.applicable, true);
  const names = res.body.suggestions.map((s) => s.name);
  assert.equal(names[0], '王心怡', JSON.stringify(names));
  assert.ok(!names.includes('韩教练'), 'no shared field and no shared word: not even a candidate');
  assert.ok(res.body.candidates < (await staff.get('/api/v1/talents?kind=expert')).body.total);
  assert.ok(!names.includes('赵工'), 'a talent, not an expert');
  const top = res.body.suggestions[0];
  assert.deepEqual(top.score.parts.map((p) => p.part), ['fields', 'text', 'hours', 'proximity', 'record']);
  const sum = top.score.parts.reduce((a, p) => a + p.contribution, 0);
  assert.ok(Math.abs(sum - top.score.total) < 1e-9);
  assert.match(top.score.parts[0].reason, /^领域重合 .*1 个共同领域/);
  assert.match(top.score.parts[2].reason, /每月可用 12 小时，需求尚缺 20 小时/);
  assert.equal(top.phone, undefined, 'no contact in suggestions');
  const en = await orgadmin.get(`/api/v1/needs/${need.id}/expert-suggestions`, { lang: 'en' });
  assert.match(en.body.suggestions[0].score.parts[0].reason, /^Field overlap .*shared/);
  const funds = (await orgadmin.post('/api/v1/needs', { org_id: ownOrg, title: '资金', category: 'funds', unit: 'yuan', quantity: 100 })).body;
  const none = (await orgadmin.get(`/api/v1/needs/${funds.id}/expert-suggestions`)).body;
  assert.equal(none.applicable, false);
  assert.deepEqual(none.suggestions, []);
  assert.equal((await expert.get(`/api/v1/needs/${need.id}/expert-suggestions`)).status, 403);
  assert.equal((await orgadmin.get(`/api/v1/needs/${need.id}/expert-suggestions?k=0`)).status, 422);
});

test('an expert is docked directly: proposed, accepted by the expert, fulfilled with a rating', async () => {
  const need = (await orgadmin.post('/api/v1/needs', expertiseNeed({ title: '社工项目设计督导', fields: ['social_service'] }))).body;
  const before = await auditTotal();
  // refusals change nothing
  const talentKind = await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: zhao.id, quantity: 2 });
  assert.equal(talentKind.status, 422);
  assert.ok(talentKind.body.errors.some((e) => e.field === 'talent_id'));
  const funds = (await orgadmin.post('/api/v1/needs', { org_id: ownOrg, title: '项目资金', category: 'funds', unit: 'yuan', quantity: 100 })).body;
  const wrongNeed = await orgadmin.post('/api/v1/dockings', { need_id: funds.id, talent_id: sun.id, quantity: 1 });
  assert.equal(wrongNeed.status, 422);
  assert.ok(wrongNeed.body.errors.some((e) => e.field === 'need_id'));
  const both = await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, resource_id: need.id, quantity: 1 });
  assert.equal(both.status, 422);
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, quantity: 21 })).status, 422);
  assert.equal((await member.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, quantity: 1 })).status, 403);
  assert.equal((await expert.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, quantity: 1 })).status, 403, 'experts do not propose');
  assert.equal(await auditTotal(), before + 1, 'only the funds need was written');

  const p = await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, quantity: 8, note: '每月两次' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.talent_id, sun.id);
  assert.equal(p.body.talent_name, '孙教授');
  assert.equal(p.body.resource_id, null);
  assert.ok(p.body.need_accepted_at);
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: sun.id, quantity: 1 })).status, 409, 'one live docking per need and expert');
  // the expert was told on their own account, sees the docking, and may act for its side only
  assert.equal(srv.sql(`SELECT count(*) FROM notification WHERE user_id = ${expert.me.id} AND object_type = 'docking' AND object_id = ${p.body.id} AND kind = 'docking.proposed'`), '1');
  const mine = (await expert.get('/api/v1/dockings')).body.items;
  assert.ok(mine.some((d) => d.id === p.body.id));
  assert.equal((await expert.get(`/api/v1/dockings?talent=${sun.id}`)).body.total, mine.length);
  assert.deepEqual((await expert.get(`/api/v1/dockings/${p.body.id}`)).body.my_sides, ['resource']);
  assert.equal((await expert2.get(`/api/v1/dockings/${p.body.id}`)).status, 404);
  assert.equal((await expert2.post(`/api/v1/dockings/${p.body.id}/accept`, { version: p.body.version })).status, 404);
  assert.equal((await expert2.get('/api/v1/dockings')).body.total, 0);
  const acc = await expert.post(`/api/v1/dockings/${p.body.id}/accept`, { version: p.body.version });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.status, 'accepted');
  const started = await expert.post(`/api/v1/dockings/${p.body.id}/start`, { version: acc.body.version });
  assert.equal(started.body.status, 'in_progress');
  const done = await orgadmin.post(`/api/v1/dockings/${p.body.id}/fulfil`, { version: started.body.version, quantity: 6, rating: 5, feedback: '督导专业细致' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.fulfilled_quantity, 6);
  const after = (await orgadmin.get(`/api/v1/needs/${need.id}`)).body;
  assert.equal(after.remaining, 14);
  assert.equal(after.status, 'partly_matched');
  const fb = await expert.post(`/api/v1/dockings/${p.body.id}/feedback`, { version: done.body.version, rating: 4, feedback: '需求方配合积极' });
  assert.equal(fb.status, 200, fb.text);
  assert.equal(fb.body.resource_rating, 4);
  const actions = (await admin.get(`/api/v1/audit?object_type=docking&object_id=${p.body.id}&per_page=50`)).body.items.map((a) => a.action).sort();
  assert.deepEqual(actions, ['docking.accept', 'docking.feedback', 'docking.fulfil', 'docking.propose', 'docking.start']);
  // the need's organization sees it among its dockings, with the expert
  const ofOrg = (await orgadmin.get(`/api/v1/dockings?org=${ownOrg}&per_page=100`)).body.items.find((d) => d.id === p.body.id);
  assert.equal(ofOrg.talent_name, '孙教授');
});

test('staff propose an expert without an account and accept on the expert\'s behalf', async () => {
  const need = (await orgadmin.post('/api/v1/needs', expertiseNeed({ title: '心理危机干预培训', category: 'training', quantity: 6 }))).body;
  const p = await staff.post('/api/v1/dockings', { need_id: need.id, talent_id: wang.id, quantity: 6 });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.need_accepted_at, null);
  const noSide = await staff.post(`/api/v1/dockings/${p.body.id}/accept`, { version: p.body.version });
  assert.equal(noSide.status, 422, 'staff name the side');
  const a = await staff.post(`/api/v1/dockings/${p.body.id}/accept`, { version: p.body.version, side: 'resource' });
  assert.equal(a.status, 200, a.text);
  assert.ok(a.body.resource_accepted_at);
  const b = await orgadmin.post(`/api/v1/dockings/${p.body.id}/accept`, { version: a.body.version });
  assert.equal(b.body.status, 'accepted');
  const failed = await orgadmin.post(`/api/v1/dockings/${p.body.id}/fail`, { version: b.body.version, reason: '时间冲突' });
  assert.equal(failed.body.status, 'failed');
  assert.equal((await orgadmin.get(`/api/v1/needs/${need.id}`)).body.remaining, 6);
  // a failed docking frees the pair for a new proposal
  assert.equal((await orgadmin.post('/api/v1/dockings', { need_id: need.id, talent_id: wang.id, quantity: 2 })).status, 201);
});
