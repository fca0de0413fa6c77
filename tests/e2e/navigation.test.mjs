// The grouped navigation and the Chinese UI, on the demo district, in a real browser:
//  - each role sees only its groups, and with every group closed the menu fits a 1366×768 screen
//    (the busiest role's too, with its largest group open);
//  - every page reachable from the menu, as each role, in zh-CN, shows no i18n key (`res.f.field`)
//    and no English word outside a short allow-list (names, units, formats, data values), in its
//    text or its placeholder / aria-label / title attributes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
before(async () => {
  app = await startApp({ demo: true });
});
after(async () => app?.stop());

/** The groups each demo role sees, in menu order (layouts/nav.ts NAV_GROUPS). */
const GROUPS = {
  admin: ['工作台', '组织名录', '经常性沟通', '资源整合', '系统管理'],
  staff: ['工作台', '组织名录', '经常性沟通', '资源整合', '系统管理'],
  liaison: ['工作台', '组织名录', '经常性沟通', '资源整合'],
  orgadmin: ['工作台', '组织名录', '经常性沟通', '资源整合', '系统管理'],
  resident: ['工作台', '组织名录', '经常性沟通', '资源整合'],
  supervisor: ['工作台', '组织名录', '经常性沟通', '资源整合', '系统管理'],
};

const menu = (page) => page.getByRole('navigation', { name: '主导航' });

/** Where the menu's last line ends, in pixels from the top of the window (scrolled to the top). */
async function menuBottom(page) {
  return menu(page).evaluate((nav) => {
    nav.closest('aside').scrollTop = 0;
    const rows = [...nav.querySelectorAll('.el-sub-menu__title, .el-menu-item')].filter((el) => el.offsetParent);
    return Math.max(...rows.map((el) => el.getBoundingClientRect().bottom));
  });
}

/** The titles of the groups in the menu, in order. */
async function groupTitles(page) {
  return menu(page).locator(':scope > .el-sub-menu > .el-sub-menu__title').allInnerTexts();
}

/** Opens every group and returns the paths of all the entries, in menu order. */
async function allEntries(page) {
  const groups = menu(page).locator(':scope > .el-sub-menu');
  for (let i = 0; i < (await groups.count()); i++) {
    const g = groups.nth(i);
    if (!(await g.evaluate((el) => el.classList.contains('is-opened')))) {
      await g.locator('.el-sub-menu__title').click();
      await g.locator('.el-menu-item').first().waitFor();
    }
  }
  const marks = await menu(page).locator('[data-test^="nav-/"]').evaluateAll((els) => els.map((e) => e.dataset.test));
  return marks.map((m) => m.slice(4));
}

test('each role sees only its groups; closed, the menu fits 1366×768 and the current group is open', async () => {
  for (const [user, expected] of Object.entries(GROUPS)) {
    const page = await app.page({ width: 1366, height: 768 });
    await signIn(page, user, PASSWORD);
    assert.deepEqual(await groupTitles(page), expected, `${user}'s groups`);
    // on the home page the workbench is open and nothing else
    const open = await menu(page).locator(':scope > .el-sub-menu.is-opened > .el-sub-menu__title').allInnerTexts();
    assert.deepEqual(open, ['工作台'], `${user}: only the group of the current page is open`);
    // close it too: every group header, and the brand above, within the window's height
    await menu(page).getByText('工作台', { exact: true }).click();
    await page.waitForTimeout(400); // the closing animation
    const bottom = await menuBottom(page);
    assert.ok(bottom <= 768, `${user}: the closed menu ends at ${bottom}px`);
    if (user === 'staff') {
      // the busiest role with its largest group open still needs no scrolling
      await page.goto('/announcements');
      await settle(page);
      const opened = await menu(page).locator(':scope > .el-sub-menu.is-opened > .el-sub-menu__title').allInnerTexts();
      assert.deepEqual(opened, ['经常性沟通']);
      const tall = await menuBottom(page);
      assert.ok(tall <= 768, `staff: the menu with 经常性沟通 open ends at ${tall}px`);
      await shot(page, 'nav-staff-1366x768', { fullPage: false });
      // following a link into another group opens that group
      await page.goto('/orgs');
      await menu(page).locator('[data-test="nav-/people"]').waitFor();
    }
    await page.context().close();
  }
});

// What may be Latin in the Chinese UI: names of things that have no Chinese name, units,
// formats, and the demo's data (e-mail addresses, URLs, codes are removed before the check).
const ALLOWED = new Set([
  'English', // the language switch names the other language in that language
  'CSV', 'Excel', 'WPS', 'UTF', 'GB', 'PDF', 'QR', 'API', 'URL', 'HTTP', 'HTTPS', 'JSON', 'Markdown', 'TOTP',
  'ID', 'AHP', 'SHA', 'Bearer', 'Token', 'iCalendar', 'ICS', 'KB', 'MB', 'KiB', 'MiB', 'km', 'm', 'kg',
  'YYYY', 'MM', 'DD', 'HH', 'mm', 'ss', 'AM', 'PM', 'Authenticator', 'Google', 'Microsoft', 'FreeOTP',
  'Webhook', 'webhook', 'SMTP', 'https', 'http', 'Enter', 'Esc', 'Ctrl', 'Tab',
  'Authorization', 'tx', // the API token's header, as it is typed (tokens start with tx_)
  // the demo's user names (data: the users page, the audit trail's actors)
  'admin', 'staff', 'street', 'liaison', 'orgadmin', 'member', 'expert', 'mediator', 'officer', 'resident', 'supervisor',
]);

/** The text a user sees or hears on the page: visible text and the labelling attributes. */
async function seenText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      const box = el.getBoundingClientRect();
      const shown = box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      if (!shown) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
    }
    return parts.join('\n');
  });
}

/** What in `text` is an i18n key shown as it is, or a Latin word outside ALLOWED. */
function problems(text) {
  const cleaned = text
    .replace(/https?:\/\/\S+/g, ' ') // links (data)
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ') // e-mail addresses (data)
    .replace(/\b[\w-]+(\.[\w-]+)*\.(com|cn|org|net|gov|csv|xlsx|png|jpg|pdf|ics|txt|md)\b/gi, ' ') // domains, file names
    .replace(/\b(?=[A-Za-z0-9]*\d)[A-Za-z0-9]+\b/g, ' '); // codes (credit codes, versions, 2FA)
  const keys = cleaned.match(/\b[a-z][A-Za-z]*(\.[A-Za-z_]+)+\b/g) || [];
  const words = (cleaned.match(/[A-Za-z]{2,}/g) || []).filter((w) => !ALLOWED.has(w));
  return [...new Set([...keys, ...words])];
}

test('every page in the menu, for each role, shows no i18n key and no English in the Chinese UI', async () => {
  const found = [];
  for (const user of Object.keys(GROUPS)) {
    const page = await app.page({ width: 1440, height: 900 });
    await signIn(page, user, PASSWORD);
    const paths = await allEntries(page);
    assert.ok(paths.length >= 3, `${user} has entries`);
    for (const path of paths) {
      await page.goto(path);
      await settle(page);
      await page.locator('.state-loading').waitFor({ state: 'detached' }).catch(() => undefined);
      for (const p of problems(await seenText(page))) found.push(`${user} ${path}: ${p}`);
    }
    assert.deepEqual(page.errors, [], `${user}: script errors`);
    await page.context().close();
  }
  assert.deepEqual(found, [], 'untranslated text in the Chinese UI');
});
