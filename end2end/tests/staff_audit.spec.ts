import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { ACCOUNTS, isPhone, login, openMenu, snap, waitForHydration } from './helpers';

// Issue #11.3: the 監査ログ viewer for 全国販社 staff.

test('staff filter the 監査ログ by お客様ID, kind and day, page back, and see the chain verified', async ({ page }, testInfo) => {
  // 有限会社やまだ販社 signs in, so there is at least one entry for them today.
  await login(page, ACCOUNTS.hansha.email);
  await page.context().clearCookies();
  await login(page, ACCOUNTS.honbu.email);
  if (isPhone(testInfo)) await openMenu(page);
  await page.getByTestId('nav-staff-audit').click();
  await expect(page).toHaveURL('/staff/audit');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('監査ログ（職員）');
  await expect(page.getByTestId('audit-entry').first()).toBeVisible();

  // The check runs in the background: start it and wait for its verdict.
  await page.getByTestId('chain-verify').click();
  await expect(page.getByTestId('chain-text')).toContainText('改ざんはありません', { timeout: 20_000 });

  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  await page.locator('#audit-customer').fill(ACCOUNTS.hansha.customerId);
  await page.locator('#audit-kind').selectOption('login');
  await page.locator('#audit-from').fill(today);
  await page.locator('#audit-to').fill(today);
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/customer=10000030/);
  await waitForHydration(page);
  const rows = page.getByTestId('audit-entry');
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-kind', 'login');
    await expect(row).toContainText(ACCOUNTS.hansha.customerId);
  }
  // Never an address or a secret on the screen.
  await expect(page.locator('main')).not.toContainText('@example.jp');
  await expect(page.locator('#audit-kind')).toHaveValue('login');
  await expectAccessible(page, testInfo, 'staff-audit');
  if (isPhone(testInfo)) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await snap(page, testInfo, 'staff-audit-filtered');

  // A bad filter: a Japanese message, the form keeps what was typed.
  await page.locator('#audit-customer').fill('123');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page.locator('.error-box')).toContainText('お客様IDは8桁の数字で入力してください');
  await expect(page.locator('#audit-customer')).toHaveValue('123');
  await snap(page, testInfo, 'staff-audit-error');
});

test('the 監査ログ pages through older entries', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.honbu.email);
  await page.goto('/staff/audit');
  await waitForHydration(page);
  const older = page.getByTestId('audit-older');
  // The demo server has more than 50 entries once the suite has run a while; if not, one page.
  if (await older.count() === 0) {
    await expect(page.locator('nav.pager')).toBeHidden();
    return;
  }
  const firstId = Number(await page.getByTestId('audit-entry').first().getAttribute('data-id'));
  await older.click();
  await waitForHydration(page);
  await expect(page).toHaveURL(/before=\d+/);
  const next = Number(await page.getByTestId('audit-entry').first().getAttribute('data-id'));
  expect(next).toBeLessThan(firstId);
  await expect(page.getByRole('link', { name: '最新の記録へ' })).toBeVisible();
  await snap(page, testInfo, 'staff-audit-older');
});

test('a 画面1 user gets only the refusal on /staff/audit', async ({ page }) => {
  await login(page, ACCOUNTS.hansha.email);
  await page.goto('/staff/audit');
  await waitForHydration(page);
  await expect(page.locator('main')).toContainText('この画面は全国販社の職員のみ利用できます。');
  await expect(page.getByTestId('audit-entry')).toHaveCount(0);
  await expect(page.getByTestId('nav-staff-audit')).toHaveCount(0);
});
