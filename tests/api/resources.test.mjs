// Resources and needs (资源清单 / 需求清单) and the talent pool: validation with field errors,
// who may post for which organization, optimistic versions and status transitions,
// visibility and masked contacts, Chinese search with one- and two-character words,
// the CSV / Excel export, the expiry task. Runs on both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

const HEPING = '330602001000'; // 和平街道: the street-limited staff account's street
let srv, admin, staff, street, orgadmin, resident, expert, member;
let ownOrg, otherOrg, farOrg; // orgadmin's organization; another one; one outside 和平街道

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, street, orgadmin, resident, expert, member] = await Promise.all(
    ['admin', 'staff', 'street', 'orgadmin', 'resident', 'expert', 'member'].map((u) => srv.login(u)));
  const orgs = (await admin.get('/api/v1/orgs?per_page=100&sort=created')).body.items;
  ownOrg = orgs[0].id; // the demo organization administrator's organization is the first one
  otherOrg = orgs.find((o) => o.id !== ownOrg && o.street_code === HEPING)?.id ?? orgs.find((o) => o.id !== ownOrg).id;
  farOrg = orgs.find((o) => o.street_code !== HEPING).id;
});
after(async () => { await srv.stop(); });

const auditTotal = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;
const need = (o = {}) => ({ org_id: ownOrg, title: '社区助餐志愿者', category: 'volunteers', quantity: 5, unit: 'people', ...o });

test('an organization administrator posts a need for their own organization, not for another', async () => {
  const res = await orgadmin.post('/api/v1/needs', need({ fields: ['social_service'], weekly_days: ['sat'], daily_from: '09:00', daily_to: '11:30', contact_phone: '13912345678' }));
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.kind, 'need');
  assert.equal(res.body.status, 'open');
  assert.equal(res.body.remaining, 5);
  assert.deepEqual(res.body.weekly_days, ['sat']);
  assert.equal(res.body.daily_to, '11:30');
  assert.deepEqual(res.body.fields, ['social_service']);
  const forOther = await orgadmin.post('/api/v1/needs', need({ org_id: otherOrg }));
  assert.equal(forOther.status, 403);
  const byMember = await member.post('/api/v1/needs', need());
  assert.equal(byMember.status, 403, 'members cannot post (route)');
});

test('staff post for organizations inside their jurisdiction only', async () => {
  assert.equal((await street.post('/api/v1/resources', need({ org_id: otherOrg, title: '活动室', category: 'venue', unit: 'm2', quantity: 80 }))).status, 201);
  assert.equal((await street.post('/api/v1/resources', need({ org_id: farOrg, title: '活动室', category: 'venue', unit: 'm2', quantity: 80 }))).status, 403);
  assert.equal((await staff.post('/api/v1/resources', need({ org_id: farOrg, title: '活动室', category: 'venue', unit: 'm2', quantity: 80 }))).status, 201);
});

test('bad input: every bad field is named at once and nothing changes', async () => {
  const before = await auditTotal();
  const cases = [
    [{ quantity: -3 }, 'quantity'],
    [{ quantity: 1e12, unit: 'yuan', category: 'funds' }, 'quantity'],
    [{ category: 'funds', unit: 'people' }, 'unit'],
    [{ category: 'spaceships' }, 'category'],
    [{ start_at: 1800000000, end_at: 1700000000 }, 'end_at'],
    [{ daily_from: '18:00', daily_to: '09:00' }, 'daily_to'],
    [{ daily_from: '25:00', daily_to: '26:00' }, 'daily_from'],
    [{ lat: 30.1 }, 'lon'],
    [{ community_code: '999999999999' }, 'community_code'],
    [{ fields: ['astrology'] }, 'fields[0]'],
    [{ eligible_types: ['cartel'] }, 'eligible_types[0]'],
    [{ visibility: 'everyone' }, 'visibility'],
    [{ contact_phone: 'call me' }, 'contact_phone'],
    [{ status: 'open' }, 'status'],
  ];
  for (const [bad, field] of cases) {
    const res = await orgadmin.post('/api/v1/needs', need(bad), { invalid: true });
    assert.equal(res.status, 422, `${JSON.stringify(bad)} -> ${res.status}`);
    assert.ok(res.body.errors.some((e) => e.field === field), `${JSON.stringify(bad)} names ${field}: ${res.text}`);
  }
  const all = await orgadmin.post('/api/v1/needs', { org_id: ownOrg, quantity: 0, category: 'x', unit: 'y' }, { invalid: true });
  const fields = all.body.errors.map((e) => e.field);
  for (const f of ['title', 'quantity', 'category', 'unit']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  assert.equal(await auditTotal(), before, 'no audit record');
});

test('versions: a stale edit gets 409; close and reopen follow the allowed transitions', async () => {
  const item = (await orgadmin.post('/api/v1/needs', need({ title: '课后辅导老师' }))).body;
  const ok = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: item.version, quantity: 8, description: '周一到周五' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.quantity, 8);
  assert.equal(ok.body.remaining, 8);
  assert.equal(ok.body.title, '课后辅导老师', 'fields not sent are kept');
  const stale = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: item.version, quantity: 9 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 'stale_version');
  const bad = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: ok.body.version, unit: 'yuan' });
  assert.equal(bad.status, 422, 'yuan does not fit volunteers');
  const closed = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: ok.body.version, status: 'closed' });
  assert.equal(closed.body.status, 'closed');
  const toFulfilled = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: closed.body.version, status: 'fulfilled' });
  assert.equal(toFulfilled.status, 409);
  const reopened = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: closed.body.version, status: 'open' });
  assert.equal(reopened.body.status, 'open');
  assert.equal((await orgadmin.patch(`/api/v1/resources/${item.id}`, { version: reopened.body.version })).status, 404, 'a need is not a resource');
  const other = await admin.post('/api/v1/needs', need({ org_id: otherOrg }));
  assert.equal((await orgadmin.patch(`/api/v1/needs/${other.body.id}`, { version: 1, title: 'x' })).status, 403);
});

test('visibility hides staff-only items; contacts are masked for those who may not see them', async () => {
  const secret = (await staff.post('/api/v1/resources', need({ org_id: otherOrg, title: '内部储备物资仓库', category: 'materials', unit: 'items', quantity: 40, visibility: 'staff', contact_phone: '13812345678' }))).body;
  const district = (await staff.post('/api/v1/resources', need({ org_id: otherOrg, title: '区内共享会议室', category: 'venue', unit: 'hours', quantity: 40, visibility: 'district', contact_phone: '13812345678' }))).body;
  assert.equal((await resident.get(`/api/v1/resources/${secret.id}`)).status, 404);
  assert.equal((await resident.get(`/api/v1/resources/${district.id}`)).status, 404, 'residents see public items only');
  assert.equal((await orgadmin.get(`/api/v1/resources/${secret.id}`)).status, 404);
  const seen = await orgadmin.get(`/api/v1/resources/${district.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.contact_phone, '138****5678');
  assert.equal(seen.body.contact_visible, false);
  assert.equal((await staff.get(`/api/v1/resources/${secret.id}`)).body.contact_phone, '13812345678');
  const list = await resident.get('/api/v1/resources?per_page=100');
  assert.ok(!list.body.items.some((i) => i.id === secret.id || i.id === district.id));
  const staffList = await staff.get('/api/v1/resources?visibility=staff&per_page=100');
  assert.ok(staffList.body.items.some((i) => i.id === secret.id));
});

test('search finds one- and two-character Chinese words, with filters and paging', async () => {
  await orgadmin.post('/api/v1/needs', need({ title: '河道保洁志愿者招募', category: 'volunteers', fields: ['environment'] }));
  const two = await resident.get('/api/v1/needs?q=' + encodeURIComponent('河道'));
  assert.ok(two.body.total >= 2, `河道: ${two.body.total}`);
  assert.ok(two.body.items.every((i) => i.title.includes('河道')), two.text);
  const one = await resident.get('/api/v1/needs?q=' + encodeURIComponent('河'));
  assert.ok(one.body.total >= two.body.total);
  const meal = await resident.get('/api/v1/needs?q=' + encodeURIComponent('助餐'));
  assert.ok(meal.body.items.some((i) => i.title.includes('助餐')), meal.text);
  const filtered = await resident.get('/api/v1/needs?q=' + encodeURIComponent('河道') + '&category=venue');
  assert.ok(filtered.body.items.every((i) => i.category === 'venue'));
  const byField = await resident.get('/api/v1/needs?field=environment&status=open');
  assert.ok(byField.body.total >= 2);
  const none = await resident.get('/api/v1/needs?q=' + encodeURIComponent('量子计算'));
  assert.equal(none.body.total, 0);
  const paged = await resident.get('/api/v1/needs?per_page=2&page=2&sort=created');
  assert.equal(paged.body.items.length, 2);
  assert.ok(paged.body.items[0].id < paged.body.items[1].id);
  const resourcesOnly = await resident.get('/api/v1/resources?q=' + encodeURIComponent('河道'));
  assert.ok(resourcesOnly.body.items.every((i) => i.kind === 'resource'));
  assert.equal((await resident.get('/api/v1/needs?category=spaceships')).status, 422);
  assert.equal((await resident.get('/api/v1/needs?sort=random')).status, 422);
});

test('export: CSV with a Chinese header and masked contacts, Excel workbook; refused to org roles', async () => {
  const csv = await staff.get('/api/v1/needs/export?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
  assert.match(lines[0], /^编号,类型,标题,组织,类别/);
  assert.ok(lines.some((l) => l.includes('社区老年食堂助餐资金缺口') && l.includes('资金')), 'demo need with label');
  const list = await staff.get('/api/v1/needs?per_page=1');
  assert.equal(lines.length - 1, list.body.total, 'every need exported');
  const filtered = await staff.get('/api/v1/needs/export?q=' + encodeURIComponent('河道'));
  assert.ok(filtered.text.trim().split(/\r\n/).length - 1 >= 2);
  const sup = await (await srv.login('supervisor')).get('/api/v1/resources/export?format=xlsx');
  assert.equal(sup.status, 200);
  assert.equal(sup.bytes.subarray(0, 2).toString(), 'PK');
  assert.equal((await orgadmin.get('/api/v1/needs/export')).status, 403);
  assert.equal((await staff.get('/api/v1/needs/export?format=pdf')).status, 422);
});

test('talent pool: staff add people, an expert edits their own entry only, contacts masked', async () => {
  const created = await staff.post('/api/v1/talents', { name: '周医生', kind: 'expert', skills: ['全科医疗', '健康讲座'], fields: ['health'], hours_per_month: 8, pro_bono: true, languages: ['普通话'], phone: '13700002345', email: 'zhou@example.cn' });
  assert.equal(created.status, 201, created.text);
  const seen = await orgadmin.get(`/api/v1/talents/${created.body.id}`);
  assert.equal(seen.body.phone, '137****2345');
  assert.equal(seen.body.email, 'z***@example.cn');
  assert.equal((await staff.get(`/api/v1/talents/${created.body.id}`)).body.phone, '13700002345');
  const mine = (await expert.get('/api/v1/talents?kind=expert&per_page=100')).body.items.find((t) => t.user_id === expert.me.id);
  assert.ok(mine, 'the demo expert has an entry');
  assert.equal(mine.contact_visible, true);
  const edited = await expert.patch(`/api/v1/talents/${mine.id}`, { version: mine.version, hours_per_month: 16 });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.hours_per_month, 16);
  assert.equal((await expert.patch(`/api/v1/talents/${created.body.id}`, { version: created.body.version, hours_per_month: 1 })).status, 403);
  assert.equal((await expert.patch(`/api/v1/talents/${mine.id}`, { version: mine.version, hours_per_month: 2 })).status, 409);
  assert.equal((await staff.post('/api/v1/talents', { name: '某人', hours_per_month: 1000 }, { invalid: true })).status, 422);
  assert.equal((await orgadmin.post('/api/v1/talents', { name: '某人' })).status, 403);
  const search = await resident.get('/api/v1/talents?q=' + encodeURIComponent('心理'));
  assert.ok(search.body.items.some((t) => t.name === '王心怡'), search.text);
  const one = await resident.get('/api/v1/talents?q=' + encodeURIComponent('医'));
  assert.ok(one.body.items.some((t) => t.name === '周医生'));
});

test('the expiry task marks items past their window as expired', async () => {
  const now = Math.floor(Date.now() / 1000);
  const item = (await orgadmin.post('/api/v1/needs', need({ title: '已过期的需求', start_at: now - 7200, end_at: now - 60 }))).body;
  const keep = (await orgadmin.post('/api/v1/needs', need({ title: '仍在窗口内', end_at: now + 86400 }))).body;
  const r = srv.cli(['tasks', 'run', 'resources.expire']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await orgadmin.get(`/api/v1/needs/${item.id}`)).body.status, 'expired');
  assert.equal((await orgadmin.get(`/api/v1/needs/${keep.id}`)).body.status, 'open');
  const again = srv.cli(['tasks', 'run', 'resources.expire']);
  assert.equal(again.status, 0);
  const expired = await orgadmin.get('/api/v1/needs?status=expired');
  assert.ok(expired.body.items.some((i) => i.id === item.id));
  const reopen = await orgadmin.patch(`/api/v1/needs/${item.id}`, { version: (await orgadmin.get(`/api/v1/needs/${item.id}`)).body.version, status: 'open' });
  assert.equal(reopen.status, 409, 'the window is over');
});
