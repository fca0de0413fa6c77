// My account and user administration in a real browser:
//  - TOTP set-up: the QR code of the otpauth URI is drawn, a code computed here from the secret
//    shown (RFC 6238, HMAC-SHA1) confirms it, and signing in again then asks for a code;
//  - API tokens: created and shown once (with a copy button), working, listed, revoked;
//  - password change with the current password checked on its field;
//  - an administrator creates a user (an org role without its organization is refused on that
//    role's row), disables them, meets a stale version, and resets the password.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { navTo, settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
let admin;
before(async () => {
  app = await startApp({ demo: true });
  admin = await app.srv.login('admin');
});
after(async () => app?.stop());

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s steps) of a base32 secret at time ms. */
function totp(secret, ms = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const off = h[h.length - 1] & 15;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('the RFC 6238 test vector (so a wrong helper cannot pass the journey)', () => {
  // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s → 94287082 (8 digits)
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totp(secret, 59000), '287082');
});

test('TOTP set-up shows a QR code; once confirmed, signing in asks for the code', async () => {
  const page = await app.page();
  await signIn(page, 'expert', PASSWORD);
  await navTo(page, '工作台', '我的账户');
  await page.getByRole('heading', { name: '我的账户' }).waitFor();
  await settle(page);
  await shot(page, '60-account');
  await page.getByTestId('totp-start').click();
  const qr = page.getByRole('img', { name: /两步验证的二维码/ });
  await qr.waitFor();
  const src = await qr.getAttribute('src');
  assert.match(src, /^data:image\/png;base64,/);
  const size = await qr.evaluate((img) => img.naturalWidth);
  assert.ok(size >= 100, `QR drawn ${size}px wide`);
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await shot(page, '61-totp-qr');

  // a wrong code is refused on the field; the right one turns it on
  await page.getByTestId('totp-code').fill(String((Number(totp(secret)) + 1) % 1000000).padStart(6, '0'));
  await page.getByTestId('totp-confirm').click();
  await page.locator('[data-test=totp-card] .el-form-item__error').waitFor();
  await page.getByTestId('totp-code').fill(totp(secret));
  await page.getByTestId('totp-confirm').click();
  await page.getByText('两步验证已开启').first().waitFor();
  await page.getByTestId('totp-card').getByText('已开启').waitFor();

  // sign out, sign in again: the password alone is not enough
  await page.getByRole('button', { name: /用户菜单/ }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('用户名').fill('expert');
  await page.getByLabel(/^密码$/).fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  const code = page.getByLabel('动态验证码');
  await code.waitFor();
  // the confirming code's time step is used up: take the next step's (the server allows ±1)
  await code.fill(totp(secret, Date.now() + 30000));
  await page.getByRole('button', { name: '验证并登录' }).click();
  await page.locator('main#main').waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
  assert.equal(me.username, 'expert');
  assert.equal(me.totp_enabled, true);
  assert.deepEqual(page.errors, []);
});

test('an API token is shown once with a copy button, works, and is revoked', async () => {
  const page = await app.page();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'liaison', PASSWORD);
  await page.goto('/account');
  await page.getByTestId('token-name').fill('数据同步脚本');
  await page.getByTestId('token-create').click();
  const dialog = page.getByRole('dialog', { name: '令牌已创建' });
  await dialog.waitFor();
  const token = await dialog.getByTestId('token-value').inputValue();
  assert.match(token, /^tx_/);
  await dialog.getByTestId('token-copy').click();
  await page.getByText(/已复制到剪贴板|已选中令牌/).first().waitFor();
  await shot(page, '62-token-created', { fullPage: false });
  // the token works on its own (no cookie, no CSRF token)
  const res = await fetch(`${app.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  await dialog.getByRole('button', { name: '我已保存' }).click();
  const row = page.getByTestId('tokens-table').locator('.el-table__row').filter({ hasText: '数据同步脚本' });
  await row.getByText('有效').waitFor();
  assert.equal(await page.getByText(token).count(), 0, 'the token is not shown again');
  await row.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '吊销' }).click();
  await row.getByText('已吊销').waitFor();
  const after = await fetch(`${app.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
});

test('changing my password checks the current one on its field', async () => {
  const page = await app.page();
  await signIn(page, 'resident', PASSWORD);
  await page.goto('/account');
  const form = page.getByTestId('password-form');
  await form.getByLabel('当前密码').fill('not-my-password-1');
  await form.getByLabel('新密码', { exact: true }).fill('NewSecret2026');
  await form.getByLabel('再次输入新密码').fill('NewSecret2026');
  await form.getByRole('button', { name: '修改密码' }).click();
  await form.locator('.el-form-item__error').first().waitFor();
  await shot(page, '63-password-wrong');
  await form.getByLabel('当前密码').fill(PASSWORD);
  await form.getByRole('button', { name: '修改密码' }).click();
  await page.getByText('密码已修改').first().waitFor();
  const other = await app.page();
  await signIn(other, 'resident', 'NewSecret2026');
});

test('an administrator creates, disables and resets a user; a stale version is explained', async () => {
  const page = await app.page();
  await signIn(page, 'admin', PASSWORD);
  await navTo(page, '系统管理', '用户管理');
  await page.getByRole('heading', { name: '用户管理' }).waitFor();
  await settle(page);
  await shot(page, '40-users');
  await page.getByTestId('user-create').click();
  await page.getByRole('heading', { name: '新建用户' }).waitFor();
  await page.getByLabel('用户名').fill('zhang.wei');
  await page.getByLabel('姓名').fill('张伟');
  await page.getByLabel('初始密码').fill('Welcome2026');
  await page.getByTestId('role-0').locator('.el-select__wrapper').first().click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '组织管理员', exact: true }).click();
  await page.getByTestId('user-save').click();
  // an organization administrator needs an organization: said on that role's row
  await page.getByTestId('role-0').locator('.el-form-item__error').waitFor();
  await shot(page, '41-user-field-error');
  const org = (await admin.get('/api/v1/orgs?per_page=1&sort=name')).body.items[0];
  const picker = page.getByRole('combobox', { name: '角色 1 的组织' });
  await picker.click();
  await picker.fill(org.name.slice(0, 2));
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: org.name, exact: true }).click();
  await page.getByTestId('user-save').click();
  await page.getByRole('heading', { name: '编辑用户：zhang.wei' }).waitFor();
  const created = (await admin.get('/api/v1/users?q=zhang.wei')).body.items[0];
  assert.deepEqual(created.roles, [{ role: 'org_admin', org_id: org.id }]);

  // disable them
  await page.getByRole('radio', { name: '停用' }).check({ force: true });
  await page.getByTestId('user-save').click();
  await page.getByText('已保存').first().waitFor();
  assert.equal((await admin.get(`/api/v1/users/${created.id}`)).body.status, 'disabled');

  // someone else saves in between: the save is refused and a reload offered
  const now = (await admin.get(`/api/v1/users/${created.id}`)).body;
  const theirs = await admin.patch(`/api/v1/users/${created.id}`, { version: now.version, display_name: '张伟（后勤）' });
  assert.equal(theirs.status, 200, theirs.text);
  await page.getByLabel('姓名').fill('张伟（办公室）');
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-stale').waitFor();
  await shot(page, '42-user-stale');
  await page.getByTestId('user-stale').getByRole('button', { name: '重新载入' }).click();
  await page.getByTestId('user-stale').waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('姓名').inputValue(), '张伟（后勤）');

  // reset the password
  await page.getByLabel('新密码').fill('Reset2026abc');
  await page.getByTestId('user-reset-password').click();
  await page.getByText('密码已重置').first().waitFor();
  await shot(page, '43-user-edit');
  assert.equal((await admin.get(`/api/v1/users/${created.id}`)).body.must_change_password, true);
  assert.deepEqual(page.errors, []);
});

test('the new pages fit a 375 px phone and switch to English', async () => {
  const page = await app.page({ width: 375 });
  await signIn(page, 'admin', PASSWORD);
  const pages = [
    ['/people', '人员', 'People'],
    ['/imports', '批量导入组织', 'Import organizations'],
    ['/users', '用户管理', 'Users'],
    ['/audit', '审计日志', 'Audit trail'],
    ['/account', '我的账户', 'My account'],
  ];
  for (const [path, zh] of pages) {
    await page.goto(path);
    await page.getByRole('heading', { name: zh, exact: true }).waitFor();
    await settle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
    await shot(page, `7${pages.findIndex((p) => p[0] === path)}-phone${path.replace('/', '-')}`);
  }
  await page.getByRole('button', { name: /English/ }).click();
  for (const [path, , en] of pages) {
    await page.goto(path);
    await page.getByRole('heading', { name: en, exact: true }).waitFor();
  }
  assert.deepEqual(page.errors, []);
});
