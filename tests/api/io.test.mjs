// Import and export of organizations: the upload -> dry-run report -> import wizard as jobs,
// and the CSV / XLSX download. Runs on both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './harness.mjs';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const HEADER = ['名称', '简称', '统一社会信用代码', '组织类型', '活动领域', '街道代码', '社区代码', '地址',
  '法定代表人', '联系人', '联系电话', '电子邮箱', '成立日期', '登记管理机关', '业务主管单位', '专职人数',
  '志愿者人数', '年度预算（元）', '是否建立党组织', '简介', '标签', '状态', '信用代码例外说明'];
const HEPING = '330602001000'; // 和平街道: the street of the street-limited demo account
const YINGCHUN = '330602006000';

// A valid unified social credit code (GB 32100 check character) ending in a serial number.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
let serial = Math.floor(Math.random() * 1e6);
function creditCode() {
  const body = `51330602TX${String(serial++).padStart(7, '0')}`;
  const sum = [...body].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csv(rows, header = ['名称', '统一社会信用代码', '组织类型', '活动领域', '街道代码', '联系电话', '成立日期']) {
  return [header, ...rows].map((r) => r.map((v) => quote(String(v ?? ''))).join(',')).join('\r\n') + '\r\n';
}
// A row for the default header.
const row = (name, o = {}) => [name, o.code ?? creditCode(), o.type ?? '社会团体', o.fields ?? '文化；教育',
  o.street ?? HEPING, o.phone ?? '13800001234', o.date ?? '2020/3/5'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startImport(client, body, { dryRun = false, type = 'text/csv' } = {}) {
  return client.post(`/api/v1/imports?dry_run=${dryRun ? 1 : 0}`, undefined,
    { raw: body, headers: { 'Content-Type': type } });
}

async function waitJob(client, location) {
  for (let i = 0; i < 2400; i++) {
    const r = await client.get(location);
    assert.equal(r.status, 200, r.text);
    if (r.body.status !== 'running') return r.body;
    await sleep(25);
  }
  throw new Error('import job did not finish');
}

async function runImport(client, body, opts) {
  const res = await startImport(client, body, opts);
  assert.equal(res.status, 202, res.text);
  assert.equal(res.body.status, 'running');
  assert.equal(res.headers.get('location'), `/api/v1/imports/${res.body.id}`);
  return waitJob(client, res.headers.get('location'));
}

async function orgCount(client) {
  const r = await client.get('/api/v1/orgs?per_page=1');
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

async function findOrg(client, name) {
  const r = await client.get(`/api/v1/orgs?q=${encodeURIComponent(name)}&per_page=100`);
  const hit = r.body.items.find((o) => o.name === name);
  if (!hit) return null;
  return (await client.get(`/api/v1/orgs/${hit.id}`)).body;
}

let srv;
let admin;
let staff;
let street;
before(async () => {
  srv = await startServer({ demo: true });
  admin = await srv.login('admin');
  staff = await srv.login('staff');
  street = await srv.login('street');
});
after(async () => { await srv.stop(); });

test('a file with one bad row reports row, column and message, and imports nothing', async () => {
  const before = await orgCount(admin);
  const body = csv([row('导入测试甲协会'), row('导入测试乙协会', { phone: '电话123' }), row('导入测试丙协会')]);
  for (const dryRun of [true, false]) {
    const job = await runImport(staff, body, { dryRun });
    assert.equal(job.status, 'done');
    assert.equal(job.report.total_rows, 3);
    assert.equal(job.report.valid_rows, 2);
    assert.equal(job.report.imported, 0);
    assert.deepEqual(job.report.errors, [{ row: 3, column: '联系电话', field: 'contact_phone', message: '电话号码格式不正确' }]);
  }
  assert.equal(await orgCount(admin), before);
  assert.equal(await findOrg(admin, '导入测试甲协会'), null);
});

test('the corrected file imports every row, converting labels, lists and dates', async () => {
  const before = await orgCount(admin);
  const body = csv([row('导入测试丁协会', { date: '2020/3/5', fields: '文化；教育' }), row('导入测试戊协会', { type: 'foundation', fields: 'health, sports' })]);
  const dry = await runImport(staff, body, { dryRun: true });
  assert.equal(dry.report.valid_rows, 2);
  assert.equal(dry.report.imported, 0);
  assert.equal(await orgCount(admin), before, 'a dry run writes nothing');
  const job = await runImport(staff, body);
  assert.equal(job.status, 'done');
  assert.deepEqual(job.report.errors, []);
  assert.equal(job.report.imported, 2);
  assert.equal(job.processed, 2);
  assert.equal(job.total, 2);
  assert.equal(await orgCount(admin), before + 2);
  const ding = await findOrg(admin, '导入测试丁协会');
  assert.equal(ding.type, 'social_group');
  assert.equal(ding.founded_on, '2020-03-05');
  assert.deepEqual([...ding.fields].sort(), ['culture', 'education']);
  const wu = await findOrg(admin, '导入测试戊协会');
  assert.equal(wu.type, 'foundation');
  assert.deepEqual([...wu.fields].sort(), ['health', 'sports']);
});

test('a GB18030 file (what Chinese Excel writes) imports with correct Chinese', async () => {
  const body = readFileSync(new URL('orgs-gb18030.csv', FIXTURES));
  assert.ok(!body.toString('utf8').includes('书画'), 'the fixture really is GB18030');
  const job = await runImport(admin, body);
  assert.equal(job.report.encoding, 'GB18030');
  assert.deepEqual(job.report.errors, []);
  assert.equal(job.report.imported, 2);
  const org = await findOrg(admin, '同心区龢鑫书画研究会');
  assert.ok(org, 'found by its Chinese name');
  assert.equal(org.short_name, '书画会');
  assert.equal(org.legal_representative, '喆明');
  assert.equal(org.description, '以书画交流、展览和公益课堂为主，服务社区居民。');
  assert.deepEqual([...org.tags].sort(), ['书画', '公益课堂'].sort());
  assert.equal(org.annual_budget, 120000);
  assert.equal(org.has_party_org, true);
  assert.equal(org.founded_on, '2015-06-01');
});

test('a UTF-8 file with a BOM imports (codes instead of labels are accepted too)', async () => {
  const job = await runImport(admin, readFileSync(new URL('orgs-utf8-bom.csv', FIXTURES)));
  assert.equal(job.report.encoding, 'UTF-8');
  assert.deepEqual(job.report.errors, []);
  assert.equal(job.report.imported, 1);
  const org = await findOrg(admin, '同心区青年志愿者协会');
  assert.equal(org.name, '同心区青年志愿者协会', 'the BOM is not part of the first header');
  assert.equal(org.volunteer_count, 800);
  assert.equal(org.status, 'active');
});

test('a credit code repeated inside the file and one already registered are both reported', async () => {
  const existing = (await admin.get('/api/v1/orgs?per_page=100')).body.items.find((o) => o.credit_code);
  const code = creditCode();
  const body = csv([row('重复测试一', { code }), row('重复测试二', { code }), row('重复测试三', { code: existing.credit_code })]);
  const job = await runImport(staff, body, { dryRun: true });
  assert.equal(job.report.valid_rows, 1, JSON.stringify(job));
  const dup = job.report.errors.map((e) => [e.row, e.column, e.field]);
  assert.deepEqual(dup, [[3, '统一社会信用代码', 'credit_code'], [4, '统一社会信用代码', 'credit_code']]);
  assert.match(job.report.errors[0].message, /信用代码/);
});

test('an unknown column is a file error naming it; a missing 名称 column too', async () => {
  const body = csv([['某协会', '330602001000', '13800001234']], ['名称', '街道代码', '联系方式']);
  const job = await runImport(staff, body, { dryRun: true });
  assert.equal(job.status, 'done');
  assert.equal(job.report.total_rows, 0);
  assert.equal(job.report.errors.length, 1);
  assert.equal(job.report.errors[0].row, 1);
  assert.equal(job.report.errors[0].column, '联系方式');
  assert.match(job.report.errors[0].message, /不认识的列.*联系方式/);
  const noName = await runImport(staff, csv([['社会团体']], ['组织类型']), { dryRun: true });
  assert.deepEqual(noName.report.errors.map((e) => [e.row, e.column]), [[1, '名称']]);
});

test('English headers (the JSON field names) and English messages work too', async () => {
  const body = csv([['English Header Club', 'social_group', HEPING, 'bad-mail']], ['name', 'type', 'street_code', 'contact_email']);
  const res = await startImport(staff, body, { dryRun: true });
  const job = await waitJob(staff, res.headers.get('location'));
  assert.deepEqual(job.report.errors.map((e) => [e.row, e.column, e.field]), [[2, 'contact_email', 'contact_email']]);
  staff.lang = 'en';
  const en = await runImport(staff, body, { dryRun: true });
  staff.lang = 'zh-CN';
  assert.equal(en.report.errors[0].message, 'Not a valid e-mail address');
});

test('street-limited staff: a row in another street is a row error, nothing imported', async () => {
  const before = await orgCount(admin);
  const body = csv([row('街道导入测试一', { street: HEPING }), row('街道导入测试二', { street: YINGCHUN })]);
  const job = await runImport(street, body);
  assert.equal(job.report.valid_rows, 1);
  assert.equal(job.report.imported, 0);
  assert.deepEqual(job.report.errors.map((e) => [e.row, e.column, e.field]), [[3, '街道代码', 'street_code']]);
  assert.match(job.report.errors[0].message, /管辖范围/);
  assert.equal(await orgCount(admin), before);
  const ok = await runImport(street, csv([row('街道导入测试一', { street: HEPING })]));
  assert.equal(ok.report.imported, 1);
});

test('a job is visible to its owner and administrators only', async () => {
  const res = await startImport(staff, csv([row('可见性测试协会')]), { dryRun: true });
  const loc = res.headers.get('location');
  await waitJob(staff, loc);
  assert.equal((await street.get(loc)).status, 404);
  assert.equal((await admin.get(loc)).status, 200);
  assert.equal((await staff.get('/api/v1/imports/999999')).status, 404);
});

test('bad uploads: empty body 400, not CSV 415, bad dry_run 422', async () => {
  assert.equal((await startImport(staff, '')).status, 400);
  assert.equal((await startImport(staff, '{}', { type: 'application/json' })).status, 415);
  const bad = await staff.post('/api/v1/imports?dry_run=maybe', undefined, { raw: csv([row('x')]), headers: { 'Content-Type': 'text/csv' } });
  assert.equal(bad.status, 422);
});

test('a large import shows live progress, and a second import meanwhile gets 409', async () => {
  const rows = [];
  for (let i = 0; i < 20000; i++) rows.push([`进度测试协会${i}`, '社会团体', HEPING]);
  const body = csv(rows, ['名称', '组织类型', '街道代码']);
  const first = await startImport(admin, body, { dryRun: true });
  assert.equal(first.status, 202);
  const second = await startImport(staff, csv([row('并发测试协会')]), { dryRun: true });
  assert.equal(second.status, 409);
  assert.equal(second.body.code, 'conflict');
  assert.match(second.body.detail, /导入任务正在进行/);
  const seen = [];
  let job;
  for (;;) {
    job = (await admin.get(first.headers.get('location'))).body;
    if (job.status !== 'running') break;
    if (job.processed > 0) seen.push(job.processed);
    if (job.total !== null) assert.equal(job.total, 20000); // null only until the rows are counted
    await sleep(20);
  }
  assert.ok(seen.length > 0, 'progress was visible while running');
  assert.ok(seen.every((n) => n % 1000 === 0 && n <= 20000));
  assert.equal(job.report.valid_rows, 20000);
  assert.equal(job.processed, 20000);
});

test('CSV export: attachment with a BOM and the importer headers; personal data masked outside the jurisdiction', async () => {
  const res = await admin.get('/api/v1/orgs/export?format=csv');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /^attachment; .*filename\*=UTF-8''%E7%BB%84%E7%BB%87%E5%90%8D%E5%BD%95-\d{8}\.csv$/);
  assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = res.text.slice(1).trim().split('\r\n');
  assert.equal(lines[0], HEADER.join(','));
  assert.equal(lines.length - 1, await orgCount(admin));

  const limited = await street.get(`/api/v1/orgs/export?street=${YINGCHUN}`);
  const other = limited.text.slice(1).trim().split('\r\n').slice(1);
  assert.ok(other.length > 0);
  assert.ok(other.every((l) => /,1\d\d\*{4}\d{4},|,\d*\*+\d*,|,,/.test(l)), 'phones are masked');
  assert.ok(other.every((l) => !/@example/.test(l)), 'no e-mail addresses');
  const own = await street.get(`/api/v1/orgs/export?street=${HEPING}`);
  assert.ok(own.text.includes('@'), 'e-mail addresses inside the jurisdiction');

  const filtered = await admin.get('/api/v1/orgs/export?type=foundation');
  const rows = filtered.text.slice(1).trim().split('\r\n').slice(1);
  assert.ok(rows.length > 0 && rows.every((l) => l.split(',')[3] === '基金会'));
  assert.equal((await admin.get('/api/v1/orgs/export?type=nonsense')).status, 422);
  assert.equal((await admin.get('/api/v1/orgs/export?format=pdf')).status, 422);
  const searched = await admin.get(`/api/v1/orgs/export?q=${encodeURIComponent('书画')}`);
  assert.ok(searched.text.includes('同心区龢鑫书画研究会'));
});

test('formula-like cells are neutralized in CSV and written as text in XLSX', async () => {
  const header = ['名称', '组织类型', '街道代码', '简介', '地址', '统一社会信用代码'];
  const job = await runImport(admin, csv([['=HYPERLINK("http://x.example","点我")协会', '社会团体', HEPING,
    '@SUM(1+1)', '+1 公式路', creditCode()]], header));
  assert.equal(job.report.imported, 1, JSON.stringify(job.report));
  const res = await admin.get(`/api/v1/orgs/export?q=${encodeURIComponent('点我')}`);
  const line = res.text.split('\r\n')[1];
  assert.ok(line.startsWith('"\'=HYPERLINK(""http://x.example"",""点我"")协会"'), line);
  assert.ok(line.includes(",'@SUM(1+1),") && line.includes(",'+1 公式路,"), line);

  const x = await admin.get(`/api/v1/orgs/export?format=xlsx&q=${encodeURIComponent('点我')}`);
  const sheet = unzipSheet(x.bytes);
  assert.ok(sheet.includes('=HYPERLINK(&quot;http://x.example&quot;,&quot;点我&quot;)协会') ||
    sheet.includes('=HYPERLINK("http://x.example","点我")协会'), sheet.slice(0, 2000));
  assert.ok(!/<f>/.test(sheet), 'no formula cells');
});

function unzipSheet(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-xlsx-'));
  try {
    writeFileSync(join(dir, 'x.xlsx'), bytes);
    const r = spawnSync('unzip', ['-p', join(dir, 'x.xlsx'), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('XLSX export is a zip whose sheet holds the organizations', async () => {
  const res = await staff.get('/api/v1/orgs/export?format=xlsx');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /\.xlsx$/);
  assert.equal(res.bytes.subarray(0, 2).toString(), 'PK');
  const sheet = unzipSheet(res.bytes);
  assert.ok(sheet.includes('统一社会信用代码'));
  assert.ok(sheet.includes('同心区龢鑫书画研究会'));
  const supervisor = await srv.login('supervisor');
  assert.equal((await supervisor.get('/api/v1/orgs/export?format=xlsx')).status, 200);
});

test('an exported CSV imports into another database unchanged', async () => {
  const exported = await admin.get('/api/v1/orgs/export?format=csv');
  const other = await startServer();
  try {
    // the demo district (divisions) and its accounts, without organizations
    const demo = other.cli(['demo', '--scale', '0']);
    assert.equal(demo.status, 0, demo.stderr);
    const boss = await other.login('admin');
    const job = await runImport(boss, exported.bytes);
    assert.deepEqual(job.report.errors, []);
    const n = exported.text.trim().split('\r\n').length - 1;
    assert.equal(job.report.imported, n);
    const again = await boss.get('/api/v1/orgs/export?format=csv');
    assert.equal(again.text, exported.text);
  } finally {
    await other.stop();
  }
});

test('the import template lists the headers the importer accepts', async () => {
  const res = await staff.get('/api/v1/imports/template');
  assert.equal(res.status, 200);
  assert.equal(res.text.slice(1).trim(), HEADER.join(','));
});

test('anonymous callers get 401 and residents 403 on import and export', async () => {
  const anon = srv.client();
  const resident = await srv.login('resident');
  for (const [c, status] of [[anon, 401], [resident, 403]]) {
    assert.equal((await startImport(c, csv([row('x')]), { dryRun: true })).status, status);
    assert.equal((await c.get('/api/v1/orgs/export')).status, status);
    assert.equal((await c.get('/api/v1/orgs/export?format=xlsx')).status, status);
    assert.equal((await c.get('/api/v1/imports/1')).status, status);
  }
});

test('CLI: tongxin import prints 第 N 行 [列] lines and exits 1; a clean file exits 0; export writes a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-cli-io-'));
  try {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, csv([row('命令行测试一'), row('命令行测试二', { date: '2020-13-45' })]));
    const r = srv.cli(['import', 'orgs', bad]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /第 3 行 \[成立日期\] /);
    assert.match(r.stdout, /已导入 0 行/);
    const good = join(dir, 'good.csv');
    writeFileSync(good, csv([row('命令行测试一')]));
    const dry = srv.cli(['import', 'orgs', good, '--dry-run', '--json']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(JSON.parse(dry.stdout).imported, 0);
    assert.match(dry.stderr, /1\/1/);
    const ok = srv.cli(['import', 'orgs', good, '--as', 'staff']);
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /已导入 1 行/);
    const out = join(dir, 'out.xlsx');
    const x = srv.cli(['export', 'orgs', '--format', 'xlsx', '--output', out, '--q', '命令行测试']);
    assert.equal(x.status, 0, x.stderr);
    assert.equal(readFileSync(out).subarray(0, 2).toString(), 'PK');
    const c = srv.cli(['export', 'orgs', '--q', '命令行测试']);
    assert.equal(c.stdout.trim().split('\r\n').length, 2);
    assert.equal(srv.cli(['import', 'orgs']).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
