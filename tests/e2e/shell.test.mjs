// The application shell in a real browser: signing in (wrong password said plainly, right one
// lands on the shell), the language switch, the phone layout, and the page-weight budget.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, shot, signIn, startApp, weight } from './browser.mjs';

let app;
before(async () => {
  app = await startApp();
  const add = app.srv.cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', 'Secret2026x']);
  assert.equal(add.status, 0, add.stderr);
});
after(async () => app?.stop());

test('a wrong password is refused with a plain message; the right one opens the shell', async () => {
  const page = await app.page();
  await page.goto('/orgs?q=社区');
  // not signed in: the router sends us to sign-in, keeping where we wanted to go
  await page.waitForURL(/\/sign-in\?redirect=/);
  assert.equal(decodeURI(new URL(page.url()).searchParams.get('redirect')), '/orgs?q=社区');
  await settle(page);
  const signInKiB = await weight(page);
  console.log(`# sign-in page: ${signInKiB} KiB on the wire (${page.net.length} responses)`);
  assert.ok(signInKiB < 400, `sign-in page weighs ${signInKiB} KiB`);
  const assets = page.net.filter((r) => /\/assets\/.*\.(js|css)$/.test(r.url));
  // gzip cannot shrink a file of a few dozen bytes (an empty chunk, a one-rule stylesheet)
  const raw = assets.filter((r) => r.encoding !== 'gzip' && r.bytes >= 200);
  assert.ok(assets.length > 0 && raw.length === 0, `assets sent gzipped: ${raw.map((r) => r.url)}`);
  await shot(page, '01-sign-in');

  await page.getByLabel('用户名').fill('boss');
  await page.getByLabel(/^密码$/).fill('wrong-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).waitFor();
  await shot(page, '02-sign-in-wrong-password');

  await page.getByLabel(/^密码$/).fill('Secret2026x');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/orgs\?q=/);
  await page.locator('main#main').waitFor();
  assert.equal(await page.getByRole('textbox', { name: '搜索组织' }).inputValue(), '社区');
  assert.equal(await page.getByRole('button', { name: /用户菜单：王主任/ }).isVisible(), true);
  assert.deepEqual(page.errors, []);
});

test('empty fields are named before anything is sent', async () => {
  const page = await app.page();
  await page.goto('/sign-in');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('请输入用户名').waitFor();
  await page.getByText('请输入密码').waitFor();
  assert.equal(page.net.filter((r) => r.url.includes('/api/v1/session')).length, 0);
});

test('the first page after sign-in stays within its budget, and the home page shows the navigation', async () => {
  const page = await app.page();
  await page.goto('/sign-in');
  await settle(page);
  const start = page.net.length;
  const signInKiB = await weight(page);
  await page.getByLabel('用户名').fill('boss');
  await page.getByLabel(/^密码$/).fill('Secret2026x');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await settle(page);
  const homeKiB = await weight(page, start);
  console.log(`# home after sign-in: ${homeKiB} KiB more on the wire; ${Math.round((signInKiB + homeKiB) * 10) / 10} KiB in all`);
  assert.ok(signInKiB + homeKiB < 800, `first page after sign-in: ${signInKiB + homeKiB} KiB`);
  const nav = page.getByRole('navigation', { name: '主导航' });
  // the menu is grouped: the workbench (the home page's group) is open, the registry opens on a click
  for (const name of ['首页', '我的账户']) await nav.getByText(name, { exact: true }).waitFor();
  await nav.getByText('组织名录', { exact: true }).click();
  await nav.getByText('组织', { exact: true }).waitFor();
  await shot(page, '03-home');
  assert.deepEqual(page.errors, []);
});

test('the language switches to English and back, and the choice survives a reload', async () => {
  const page = await app.page();
  await signIn(page, 'boss', 'Secret2026x');
  const nav = page.getByRole('navigation');
  await nav.getByText('我的账户').waitFor();
  await page.getByRole('button', { name: /English/ }).click();
  await nav.getByText('My account').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await nav.getByText('My account').waitFor();
  await nav.getByText('My account').click();
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  await page.getByTestId('account-profile').getByText('System administrator').waitFor();
  await shot(page, '04-account-en');
  await page.getByRole('button', { name: /中文/ }).click();
  await nav.getByText('我的账户').waitFor();
  await page.getByTestId('account-profile').getByText('系统管理员').waitFor();
});

test('at phone width the navigation is a drawer, and signing out ends the session', async () => {
  const page = await app.page({ width: 375 });
  await signIn(page, 'boss', 'Secret2026x');
  const open = page.getByRole('button', { name: '打开导航' });
  await open.waitFor();
  assert.equal(await page.getByRole('navigation').count(), 0, 'no side navigation on a phone');
  await shot(page, '05-phone-home');
  await open.click();
  const drawer = page.getByRole('dialog');
  await drawer.getByText('我的账户').click();
  await page.getByRole('heading', { name: '我的账户' }).waitFor();
  await drawer.waitFor({ state: 'hidden' });
  await open.click();
  await drawer.getByText('首页').waitFor();
  await page.waitForTimeout(400); // let the drawer finish sliding in before the picture
  await shot(page, '06-phone-drawer');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  // no sideways scrolling at 375 px
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

  await page.getByRole('button', { name: /用户菜单/ }).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto('/account');
  await page.waitForURL(/\/sign-in\?redirect=\/account/);
});

test('the shell is usable from the keyboard alone', async () => {
  const page = await app.page();
  await page.goto('/sign-in');
  const username = page.getByLabel('用户名');
  await username.waitFor();
  // Tab until the user name field has the focus (the language switch comes first)
  for (let i = 0; i < 5 && !(await username.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await username.evaluate((el) => el === document.activeElement), true, 'Tab reaches the user name');
  await page.keyboard.type('boss');
  await page.keyboard.press('Tab');
  const password = page.getByLabel(/^密码$/);
  assert.equal(await password.evaluate((el) => el === document.activeElement), true, 'Tab reaches the password');
  await page.keyboard.type('Secret2026x');
  assert.equal(await username.inputValue(), 'boss');
  assert.equal(await password.inputValue(), 'Secret2026x');
  await page.keyboard.press('Enter');
  await page.locator('main#main').waitFor({ timeout: 30000 }).catch(async (e) => {
    await shot(page, 'failed-keyboard');
    throw e;
  });
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.activeElement?.blur());
  // the first Tab reaches the skip link, which moves focus to the main content
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到主要内容' });
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
});
