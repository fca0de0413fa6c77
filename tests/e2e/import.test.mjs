// Journey 2, the import wizard in a real browser: a CSV with one bad row → the dry-run report
// names the row and the column → nothing is imported → the fixed file checks clean, imports
// with a progress bar, and the organizations are in the registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { navTo, shot, signIn, startApp } from './browser.mjs';

let app;
let staff;
before(async () => {
  app = await startApp({ demo: true });
  staff = await app.srv.login('staff');
});
after(async () => app?.stop());

const NAME = '导入测试';
/** A CSV with the template's column names; row 3 (the second data row) may carry a bad e-mail. */
function csv(badEmail) {
  const rows = [
    '名称,组织类型,街道代码,电子邮箱',
    `${NAME}甲协会,社会团体,330602001000,a@example.org`,
    `${NAME}乙服务中心,社会服务机构,330602001000,${badEmail ? 'not-an-email' : 'b@example.org'}`,
    `${NAME}丙基金会,基金会,330602001000,`,
  ];
  return Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
}
const imported = async () => (await staff.get(`/api/v1/orgs?q=${encodeURIComponent(NAME)}&per_page=1`)).body.total;

test('a CSV with one bad row is reported by row and column, nothing is imported, the fixed file imports', async () => {
  const page = await app.page();
  await signIn(page, 'staff', 'Tongxin@2026');
  await navTo(page, '组织名录', '导入');
  await page.getByRole('heading', { name: '批量导入组织' }).waitFor();
  // the template link downloads the header row
  const template = await page.getByTestId('import-template').getAttribute('href');
  const header = await page.evaluate(async (u) => (await fetch(u)).text(), template);
  assert.match(header, /名称,简称,统一社会信用代码/);
  await shot(page, '30-import');

  await page.getByLabel('CSV 文件').setInputFiles({ name: 'orgs.csv', mimeType: 'text/csv', buffer: csv(true) });
  await page.getByTestId('import-check').click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  await report.getByText('发现 1 处错误，未导入任何数据').waitFor();
  const cells = await page.getByTestId('import-errors').locator('.el-table__row').first().locator('td').allTextContents();
  assert.equal(cells[0].trim(), '3', 'the spreadsheet row (header = 1)');
  assert.equal(cells[1].trim(), '电子邮箱');
  assert.match(cells[2], /电子邮箱格式不正确/);
  assert.equal(await page.getByTestId('import-confirm').count(), 0, 'no import offered while a row is wrong');
  await shot(page, '31-import-report-errors');
  assert.equal(await imported(), 0, 'nothing imported');

  await page.getByLabel('CSV 文件').setInputFiles({ name: 'orgs-fixed.csv', mimeType: 'text/csv', buffer: csv(false) });
  await page.getByTestId('import-check').click();
  await report.getByText('全部 3 行无误，可以导入').waitFor();
  assert.equal(await imported(), 0, 'a dry run imports nothing');
  await shot(page, '32-import-report-clean');
  await page.getByTestId('import-confirm').click();
  const result = page.getByTestId('import-result');
  await result.getByText('已导入 3 个组织').waitFor();
  await shot(page, '33-import-done');
  assert.equal(await imported(), 3);
  await result.getByRole('link', { name: '查看组织名录' }).click();
  await page.getByRole('link', { name: `${NAME}甲协会` }).waitFor();
  assert.deepEqual(page.errors, []);
});
