// The organization registry through the API: validation, credit codes, versions, search,
// filters, sorting, paging, archive, grades, people and who may do what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv, admin, staff, street, orgadmin, member, resident;
let ownOrg; // the demo organization that `orgadmin` administers (first one, 和平街道)
const STREET1 = '330602001000', COMMUNITY1 = '330602001001';
const STREET2 = '330602002000', COMMUNITY2 = '330602002001';

before(async () => {
  srv = await startServer({ demo: 40 });
  [admin, staff, street, orgadmin, member, resident] = await Promise.all(
    ['admin', 'staff', 'street', 'orgadmin', 'member', 'resident'].map((u) => srv.login(u)));
  const first = await admin.get('/api/v1/orgs?sort=created&per_page=1');
  ownOrg = first.body.items[0];
});
after(async () => { await srv.stop(); });

const full = () => ({
  name: '同心区松柏巷敬老协会', short_name: '松柏敬老', credit_code: '51330602MJX1736991',
  type: 'social_group', fields: ['social_service', 'health'], tags: ['养老', 'Zephyrcare'],
  street_code: STREET1, community_code: COMMUNITY1, address: '和平街道解放路 88 号',
  legal_representative: '王建国', contact_person: '李芳', contact_phone: '13812345678',
  contact_email: 'care@example.org', founded_on: '2015-06-01', registration_authority: '同心区民政局',
  supervising_unit: '同心区民政局', staff_count: 12, volunteer_count: 300, annual_budget: 500000,
  has_party_org: true, description: '为辖区老年人提供助餐、陪护和精神慰藉服务。', status: 'active',
});

// a valid code for a 6-digit-area prefix and body, computed like GB 32100 does
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCode(prefix, body8) {
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  const val = (ch) => (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  let s = 0;
  for (let i = 0; i < 8; i++) s += val(body8[i]) * ow[i];
  let oc = 11 - (s % 11);
  const orgCheck = oc === 10 ? 'X' : oc === 11 ? '0' : String(oc);
  const first17 = prefix + '330602' + body8 + orgCheck;
  let sum = 0, w = 1;
  for (let i = 0; i < 17; i++) { sum += ALPHA.indexOf(first17[i]) * w; w = (w * 3) % 31; }
  return first17 + ALPHA[(31 - (sum % 31)) % 31];
}
let serial = 0;
const uniqueCode = (prefix = '51') => creditCode(prefix, `T${String(++serial).padStart(7, '0')}`);

async function create(client, extra) {
  return client.post('/api/v1/orgs', { name: '测试组织', type: 'social_group', street_code: STREET1, ...extra });
}

test('staff create an organization with every field and read it back', async () => {
  const body = { ...full(), credit_code: uniqueCode() };
  const res = await staff.post('/api/v1/orgs', body);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers.get('location'), `/api/v1/orgs/${res.body.id}`);
  const got = await staff.get(`/api/v1/orgs/${res.body.id}`);
  const sorted = (v) => (Array.isArray(v) ? [...v].sort() : v);
  for (const [k, v] of Object.entries(body)) assert.deepEqual(sorted(got.body[k]), sorted(v), k);
  assert.equal(got.body.version, 1);
  assert.equal(got.body.street_name, '和平街道');
  assert.equal(got.body.archived, false);
});

test('every bad field is reported at once with its name', async () => {
  const res = await admin.post('/api/v1/orgs', {
    type: 'club', credit_code: 'ABC', street_code: '999999999999', contact_phone: '12',
    contact_email: 'nope', founded_on: '2020-02-30', staff_count: -1, fields: ['cooking'], colour: 'red',
  }, { invalid: true });
  assert.equal(res.status, 422);
  const fields = res.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['colour', 'contact_email', 'contact_phone', 'credit_code', 'fields',
    'founded_on', 'name', 'staff_count', 'street_code', 'type'].sort());
});

test('a community outside the chosen street is refused', async () => {
  const res = await create(admin, { community_code: COMMUNITY2 });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field), ['community_code']);
});

test('a wrong credit check character is a field error; lower case is upper-cased', async () => {
  const bad = await create(admin, { credit_code: '91350100M0001TGQXM' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'credit_code');
  const lower = await create(admin, { credit_code: uniqueCode().toLowerCase() });
  assert.equal(lower.status, 201, lower.text);
  assert.match(lower.body.credit_code, /^[0-9A-Z]{18}$/);
});

test('staff may override a failing check with a reason; org admins may not', async () => {
  const ok = await create(staff, { credit_code: '91350100M0001TGQXM', credit_override_reason: '早期试点地区代码，已核对执照' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.credit_override_reason, '早期试点地区代码，已核对执照');
  const own = (await orgadmin.get(`/api/v1/orgs/${ownOrg.id}`)).body;
  const refused = await orgadmin.patch(`/api/v1/orgs/${ownOrg.id}`, {
    version: own.version, credit_code: '91350100M0001TGQXN', credit_override_reason: '试点代码' });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.errors[0].field, 'credit_code');
});

test('a duplicate credit code is 409 with a field error', async () => {
  const code = uniqueCode();
  assert.equal((await create(admin, { credit_code: code })).status, 201);
  const dup = await create(admin, { name: '另一个组织', credit_code: code });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.code, 'duplicate');
  assert.equal(dup.body.errors[0].field, 'credit_code');
});

test('a stale version is 409 and changes nothing', async () => {
  const org = (await create(admin, { name: '版本测试协会' })).body;
  const first = await admin.patch(`/api/v1/orgs/${org.id}`, { version: 1, address: '新地址 1 号' });
  assert.equal(first.status, 200);
  assert.equal(first.body.version, 2);
  const stale = await admin.patch(`/api/v1/orgs/${org.id}`, { version: 1, address: '旧页面的地址' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 'stale_version');
  const now = (await admin.get(`/api/v1/orgs/${org.id}`)).body;
  assert.equal(now.address, '新地址 1 号');
  assert.equal(now.version, 2);
  const missing = await admin.patch(`/api/v1/orgs/${org.id}`, { address: 'x' }, { invalid: true });
  assert.equal(missing.status, 422);
});

test('search finds one- and two-character Chinese words and Latin words, and nothing unrelated', async () => {
  const a = (await create(admin, { name: '琥珀湾银发关爱中心', tags: ['Quokkacare'] })).body;
  const b = (await create(admin, { name: '翡翠岭青年创客空间', description: '琥珀色的灯光' })).body;
  const ids = async (q) => (await resident.get(`/api/v1/orgs?q=${encodeURIComponent(q)}`)).body.items.map((o) => o.id);
  assert.deepEqual(await ids('银发关爱'), [a.id]);
  assert.deepEqual(await ids('湾'), [a.id]);
  assert.deepEqual(await ids('quokkacare'), [a.id]);
  assert.deepEqual(await ids('QUOKKACARE'), [a.id]);
  assert.deepEqual(await ids('琥珀'), [b.id, a.id]); // newest first
  assert.deepEqual(await ids('翡翠'), [b.id]);
  assert.deepEqual(await ids('银发 翡翠'), []);
  const r = await resident.get(`/api/v1/orgs?q=${encodeURIComponent('琥珀')}`);
  assert.equal(r.body.total, 2);
  assert.equal(r.body.items[0].contact_phone, undefined); // directory fields only
});

test('filters combine, and names sort by pinyin both ways', async () => {
  const tag = 'Sortprobe';
  for (const [name, type] of [['张家湾互助会', 'social_group'], ['安康慈善基金会', 'foundation'], ['北斗志愿服务社', 'social_group']]) {
    assert.equal((await create(admin, { name, type, tags: [tag] })).status, 201);
  }
  const names = async (qs) => (await resident.get(`/api/v1/orgs?q=${tag}&${qs}`)).body.items.map((o) => o.name);
  assert.deepEqual(await names('sort=name'), ['安康慈善基金会', '北斗志愿服务社', '张家湾互助会']);
  assert.deepEqual(await names('sort=-name'), ['张家湾互助会', '北斗志愿服务社', '安康慈善基金会']);
  assert.deepEqual(await names('type=foundation'), ['安康慈善基金会']);
  assert.deepEqual(await names(`street=${STREET2}`), []);
  const byStreet = await resident.get(`/api/v1/orgs?street=${STREET1}&type=social_group&per_page=100`);
  assert.ok(byStreet.body.items.every((o) => o.street_code === STREET1 && o.type === 'social_group'));
  assert.equal(byStreet.body.items.length, Math.min(100, byStreet.body.total));
});

test('paging: bounds are checked and pages do not overlap', async () => {
  for (const qs of ['page=0', 'page=100001', 'per_page=0', 'per_page=101', 'page=abc', 'sort=colour', 'type=club', 'archived=2']) {
    const res = await resident.get(`/api/v1/orgs?${qs}`);
    assert.equal(res.status, 422, qs);
    assert.equal(res.body.errors.length, 1, qs);
  }
  const p1 = (await resident.get('/api/v1/orgs?per_page=5&page=1')).body;
  const p2 = (await resident.get('/api/v1/orgs?per_page=5&page=2')).body;
  assert.equal(p1.items.length, 5);
  assert.equal(p1.total, p2.total);
  assert.ok(p1.items.every((a) => !p2.items.some((b) => b.id === a.id)));
  const far = (await resident.get('/api/v1/orgs?page=100000')).body;
  assert.deepEqual(far.items, []);
});

test('archive hides an organization from the list; restore brings it back', async () => {
  const org = (await create(admin, { name: '归档测试社', tags: ['Archprobe'] })).body;
  const arch = await staff.post(`/api/v1/orgs/${org.id}/archive`, { version: org.version });
  assert.equal(arch.status, 200, arch.text);
  assert.equal(arch.body.archived, true);
  assert.equal(arch.body.status, 'deregistered');
  assert.equal((await staff.get('/api/v1/orgs?q=Archprobe')).body.total, 0);
  assert.equal((await staff.get('/api/v1/orgs?q=Archprobe&archived=1')).body.total, 1);
  assert.equal((await staff.patch(`/api/v1/orgs/${org.id}`, { version: arch.body.version, address: 'x' })).status, 409);
  assert.equal((await staff.post(`/api/v1/orgs/${org.id}/restore`, { version: 1 })).status, 409);
  const back = await staff.post(`/api/v1/orgs/${org.id}/restore`, { version: arch.body.version });
  assert.equal(back.status, 200);
  assert.equal(back.body.archived, false);
  assert.equal((await staff.get('/api/v1/orgs?q=Archprobe')).body.total, 1);
  assert.equal((await orgadmin.post(`/api/v1/orgs/${org.id}/archive`, { version: back.body.version })).status, 403);
});

test('grades keep their history with the default validity and set the current grade', async () => {
  const org = (await create(admin, { name: '等级测试服务中心', type: 'service_agency' })).body;
  const g1 = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '3A', announced_on: '2021-05-10' });
  assert.equal(g1.status, 201, g1.text);
  const g2 = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '4A', announced_on: '2024-03-15', note: '复评' });
  assert.deepEqual(g2.body.items.map((g) => [g.grade, g.valid_from, g.valid_to]),
    [['4A', '2025-01-01', '2029-12-31'], ['3A', '2022-01-01', '2026-12-31']]);
  const now = (await resident.get(`/api/v1/orgs/${org.id}`)).body;
  assert.equal(now.current_grade, '4A');
  const list = (await resident.get('/api/v1/orgs?grade=4A&per_page=100')).body.items;
  assert.ok(list.some((o) => o.id === org.id));
  const bad = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '6A', announced_on: '2024-13-01' }, { invalid: true });
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['announced_on', 'grade']);
  assert.equal((await resident.post(`/api/v1/orgs/${org.id}/grades`, { grade: '1A', announced_on: '2024-01-01' })).status, 403);
  const ov = (await resident.get(`/api/v1/orgs/${org.id}/overview`)).body;
  assert.equal(ov.counts.grades, 2);
});

test('a grade announced for a later period counts only from its start; the grades task moves it in', async () => {
  const org = (await create(admin, { name: '等级生效测试协会', type: 'social_group' })).body;
  const year = new Date().getFullYear();
  const g1 = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '3A', announced_on: `${year - 1}-05-10` });
  assert.equal(g1.status, 201, g1.text);
  // the next month's first day, in the district's calendar
  const d = new Date(Date.now() + 8 * 3600e3);
  const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  const g2 = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '5A', announced_on: `${year}-01-02`, valid_from: next, valid_to: `${year + 5}-12-31` });
  assert.equal(g2.status, 201, g2.text);
  assert.deepEqual(g2.body.items.map((g) => [g.grade, g.period]), [['5A', 'upcoming'], ['3A', 'valid']], 'the history has both');
  const now = (await resident.get(`/api/v1/orgs/${org.id}`)).body;
  assert.equal(now.current_grade, '3A', 'the announced 5A does not count before its period');
  assert.ok(!(await resident.get('/api/v1/orgs?grade=5A&per_page=100')).body.items.some((o) => o.id === org.id));
  assert.ok((await resident.get('/api/v1/orgs?grade=3A&per_page=100')).body.items.some((o) => o.id === org.id));
  assert.match(srv.cli(['tasks', 'run', 'registry.grades']).stdout, /registry\.grades: \d+/);
  assert.equal((await resident.get(`/api/v1/orgs/${org.id}`)).body.current_grade, '3A', 'the task leaves it out too');

  // its period begins: the periodic task moves it in, with search, counters and an audit record
  srv.sql(`UPDATE org_grade SET valid_from = '${year - 1}-01-01' WHERE org_id = ${org.id} AND grade = '5A'`);
  const run = srv.cli(['tasks', 'run', 'registry.grades']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /registry\.grades: [1-9]/);
  const moved = (await resident.get(`/api/v1/orgs/${org.id}`)).body;
  assert.equal(moved.current_grade, '5A');
  assert.deepEqual((await resident.get(`/api/v1/orgs/${org.id}/grades`)).body.items.map((g) => g.period), ['valid', 'valid']);
  assert.ok(moved.version > now.version, "the change bumps the version");
  assert.ok((await resident.get('/api/v1/orgs?grade=5A&per_page=100')).body.items.some((o) => o.id === org.id));
  const trail = (await admin.get(`/api/v1/audit?object_type=org&object_id=${org.id}`)).body.items;
  const started = trail.find((r) => r.action === 'org.grade_started');
  assert.ok(started, JSON.stringify(trail.map((r) => r.action)));
  assert.deepEqual([started.before.current_grade, started.after.current_grade], ['3A', '5A']);
  assert.equal((await admin.get('/api/v1/stats/registry/verify')).body.consistent, true);
  assert.match(srv.cli(['tasks', 'run', 'registry.grades']).stdout, /registry\.grades: 0/, 'idempotent');
});

test('phones are masked for those who may not see them and full for those who may', async () => {
  const p = await admin.post('/api/v1/people', {
    name: '测试联系人', gender: 'female', phone: '13912345678', id_number: '330602199001011231',
    uf_category: 'non_party', org_id: ownOrg.id, role_title: '秘书长' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.phone, '13912345678');
  const seen = async (client) => (await client.get(`/api/v1/people/${p.body.id}`)).body;
  assert.equal((await seen(orgadmin)).phone, '13912345678');
  // ID numbers are masked even for those who may see them; one look is a POST, audited
  assert.equal((await seen(staff)).id_number, '330***********1231');
  const look = await staff.post(`/api/v1/people/${p.body.id}/id-number`);
  assert.equal(look.status, 200, look.text);
  assert.equal(look.body.id_number, '330602199001011231');
  const trail = (await admin.get(`/api/v1/audit?action=person.reveal_id_number&object_id=${p.body.id}`)).body.items;
  assert.equal(trail.length, 1);
  assert.equal(trail[0].actor_name, staff.me.username);
  assert.ok(!JSON.stringify(trail[0]).includes('199001011231'), 'the number stays out of the trail');
  const created = (await admin.get(`/api/v1/audit?action=person.create&object_id=${p.body.id}`)).body.items[0];
  assert.ok(!JSON.stringify(created).includes('199001011231'), 'the create record keeps it masked');
  assert.equal((await member.post(`/api/v1/people/${p.body.id}/id-number`)).status, 403);
  assert.equal((await orgadmin.post(`/api/v1/people/${p.body.id}/id-number`)).body.id_number, '330602199001011231');
  const masked = await seen(member);
  assert.equal(masked.phone, '139****5678');
  assert.equal(masked.id_number, '330***********1231');
  assert.equal((await resident.get(`/api/v1/people/${p.body.id}`)).status, 403);
  const people = (await member.get(`/api/v1/orgs/${ownOrg.id}/people`)).body.items;
  assert.ok(people.some((x) => x.id === p.body.id && x.phone === '139****5678' && x.orgs[0].role_title === '秘书长'));
  // the organization's own contact phone: members see it, the public directory masks it
  const own = (await member.get(`/api/v1/orgs/${ownOrg.id}`)).body;
  assert.match(own.contact_phone, /^1\d{10}$/);
  const pub = (await resident.get(`/api/v1/orgs/${ownOrg.id}`)).body;
  assert.match(pub.contact_phone, /^1\d\d\*{4}\d{4}$/);
  assert.equal(pub.contact_email, null);
  assert.equal(pub.private_access, false);
  const bad = await admin.post('/api/v1/people', { name: '', phone: 'x', id_number: '330602199001011230', uf_category: 'alien' });
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['id_number', 'name', 'phone', 'uf_category']);
});

test('people: org admins edit their own organization\'s people only; links and unlinks', async () => {
  const mine = await orgadmin.post('/api/v1/people', { name: '自家理事', org_id: ownOrg.id, role_title: '理事' });
  assert.equal(mine.status, 201, mine.text);
  const other = (await create(admin, { name: '别家协会', street_code: STREET2 })).body;
  const theirs = (await admin.post('/api/v1/people', { name: '别家秘书长', org_id: other.id })).body;
  assert.equal((await orgadmin.post('/api/v1/people', { name: '越权', org_id: other.id })).status, 403);
  assert.equal((await orgadmin.patch(`/api/v1/people/${theirs.id}`, { version: 1, note: 'x' })).status, 403);
  const edited = await orgadmin.patch(`/api/v1/people/${mine.body.id}`, { version: 1, phone: '13700001111' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.version, 2);
  assert.equal((await orgadmin.patch(`/api/v1/people/${mine.body.id}`, { version: 1, phone: '13700002222' })).status, 409);
  assert.equal((await orgadmin.post(`/api/v1/people/${theirs.id}/orgs`, { org_id: ownOrg.id })).status, 403);
  const link = await admin.post(`/api/v1/people/${theirs.id}/orgs`, { org_id: ownOrg.id, role_title: '顾问' });
  assert.equal(link.status, 201);
  assert.equal(link.body.orgs.length, 2);
  assert.equal((await admin.post(`/api/v1/people/${theirs.id}/orgs`, { org_id: ownOrg.id })).status, 409);
  const un = await orgadmin.delete(`/api/v1/people/${theirs.id}/orgs/${ownOrg.id}`);
  assert.equal(un.status, 204, un.text); // no longer linked to the caller's organization: not theirs to see
  assert.equal((await orgadmin.get(`/api/v1/people/${theirs.id}`)).status, 403);
  assert.equal((await admin.get(`/api/v1/people/${theirs.id}`)).body.orgs.length, 1);
  const list = (await staff.get(`/api/v1/people?q=${encodeURIComponent('自家')}`)).body;
  assert.deepEqual(list.items.map((x) => x.id), [mine.body.id]);
});

test('an org admin edits their own organization and gets 403 on another', async () => {
  const own = (await orgadmin.get(`/api/v1/orgs/${ownOrg.id}`)).body;
  const ok = await orgadmin.patch(`/api/v1/orgs/${ownOrg.id}`, { version: own.version, description: '本会简介已更新' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.description, '本会简介已更新');
  const other = (await create(admin, { name: '他人协会' })).body;
  assert.equal((await orgadmin.patch(`/api/v1/orgs/${other.id}`, { version: 1, description: 'x' })).status, 403);
  assert.equal((await orgadmin.post('/api/v1/orgs', { name: 'x', type: 'other', street_code: STREET1 })).status, 403);
});

test('street-limited staff edit inside their street only, and cannot move an organization out', async () => {
  const inside = (await create(admin, { name: '街道内协会', street_code: STREET1 })).body;
  const outside = (await create(admin, { name: '街道外协会', street_code: STREET2 })).body;
  assert.equal((await street.patch(`/api/v1/orgs/${outside.id}`, { version: 1, address: 'x' })).status, 403);
  assert.equal((await street.patch(`/api/v1/orgs/${inside.id}`, { version: 1, street_code: STREET2 })).status, 403);
  const ok = await street.patch(`/api/v1/orgs/${inside.id}`, { version: 1, address: '街道内新址' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await create(street, { name: '外街新组织', street_code: STREET2 })).status, 403);
});

test('SQL and HTML payloads are stored and returned inert, exactly', async () => {
  const name = `<script>alert("x")</script>'; DROP TABLE org; --`;
  const description = `<img src=x onerror=alert(1)> Robert'); DELETE FROM person;-- \u0000`.replace('\u0000', '&amp;');
  const res = await create(admin, { name, description, tags: ['<b>粗</b>'] });
  assert.equal(res.status, 201, res.text);
  const got = await resident.get(`/api/v1/orgs/${res.body.id}`);
  assert.match(got.headers.get('content-type'), /application\/json/);
  assert.equal(got.body.name, name);
  assert.equal(got.body.description, description);
  assert.deepEqual(got.body.tags, ['<b>粗</b>']);
  assert.ok((await resident.get('/api/v1/orgs')).body.total > 40);
});

test('divisions and options are there for forms', async () => {
  const d = (await resident.get('/api/v1/divisions')).body;
  assert.equal(d.district.code, '330602000000');
  assert.ok(d.streets.length >= 6);
  assert.ok(d.streets.reduce((n, s) => n + s.communities.length, 0) >= 30);
  assert.ok(d.streets.every((s) => s.name.endsWith('街道') && s.communities.every((c) => c.code.startsWith(s.code.slice(0, 9)))));
  const o = (await resident.get('/api/v1/registry/options')).body;
  assert.equal(o.types.length, 10);
  assert.equal(o.fields.length, 14);
  assert.ok(o.uf_categories.some((u) => u.zh === '新的社会阶层人士'));
  assert.deepEqual(o.grades.map((g) => g.code), ['5A', '4A', '3A', '2A', '1A']);
});
