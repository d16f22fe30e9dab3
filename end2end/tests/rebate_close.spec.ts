import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { ACCOUNTS, login, snap, waitForHydration } from './helpers';

// Issue #11 part 2: staff close last month (締め); the customer then sees the stored amount
// without 仮計算; a reissue with a reason becomes 第N版 and the earlier version stays listed.
// Both projects (pc, phone) share one server: whichever runs first closes the month, the
// other finds it closed; each reissue adds a version, so the number is matched, not fixed.

/** Last month in Japan, `YYYY-MM`. */
function lastMonthJst(): string {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  let y = now.getUTCFullYear();
  // getUTCMonth is 0-based, so it already is last month's 1-based number.
  let m = now.getUTCMonth();
  if (m === 0) {
    y -= 1;
    m = 12;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

async function statementMonth(page: Page, month: string) {
  await page.goto('/documents/rebate');
  await waitForHydration(page);
  const row = page.locator(`.rebate-month[data-month="${month}"]`);
  await expect(row).toBeVisible();
  return row;
}

test('締め: staff close last month, the customer sees the fixed amount, a reissue is 第N版', async ({ page, browser }, testInfo) => {
  const month = lastMonthJst();
  const staffContext = await browser.newContext({ viewport: testInfo.project.use.viewport ?? null });
  const staff = await staffContext.newPage();
  await login(staff, ACCOUNTS.honbu.email);
  await staff.goto('/staff/rebate-close');
  await waitForHydration(staff);
  await expect(staff.getByRole('heading', { name: '還元額の締め（職員）', level: 1 })).toBeVisible();
  await expectAccessible(staff, testInfo, `rebate-close-${testInfo.project.name}`);

  const closeRow = staff.locator(`.close-month[data-month="${month}"]`);
  await expect(closeRow).toBeVisible();
  if (!(await closeRow.evaluate((el) => el.classList.contains('closed')))) {
    await staff.locator('#close_month').selectOption(month);
    await staff.getByRole('button', { name: '締める' }).click();
    // This project closed it, or the other project did a moment earlier (a clear 409).
    await expect(staff.locator('.close-form').getByText(/を締めました|すでに締めています/)).toBeVisible();
  }
  await expect(closeRow).toHaveClass(/closed/);
  await expect(closeRow.locator('.state')).toContainText('締め済み');
  await snap(staff, testInfo, 'rebate-close-closed');

  // The customer: last month is 確定 (no 仮計算); the current month is still 仮計算.
  await login(page, ACCOUNTS.hansha.email);
  let row = await statementMonth(page, month);
  await expect(row.getByTestId('rebate-status')).toHaveText(/^確定（第\d+版/);
  await expect(row).not.toContainText('仮計算');
  await expect(page.locator('.rebate-month').first().getByTestId('rebate-status')).toHaveText('仮計算');
  await expect(row.getByRole('link', { name: 'CSV（明細）' })).toHaveAttribute('href', `/documents/rebate/${month}.csv`);
  await expectAccessible(page, testInfo, `rebate-closed-month-${testInfo.project.name}`);
  await snap(page, testInfo, 'rebate-closed-month');

  // Staff reissue the customer's statement with a reason: a new version.
  await staff.reload();
  await waitForHydration(staff);
  await staff.locator('#reissue_month').selectOption(month);
  await staff.locator('#reissue_customer').fill(ACCOUNTS.hansha.customerId);
  // No reason: a message, nothing issued.
  await staff.getByRole('button', { name: '再発行する' }).click();
  await expect(staff.locator('.reissue-form .error-box')).toContainText('再発行の理由を入力してください。');
  await staff.locator('#reissue_reason').fill(`E2E ${testInfo.project.name} の訂正`);
  await staff.getByRole('button', { name: '再発行する' }).click();
  const done = staff.locator('.reissue-form [role="status"]');
  await expect(done).toHaveText(/^第\d+版を発行しました。$/);
  const issued = Number((await done.textContent())!.match(/第(\d+)版/)![1]);
  expect(issued).toBeGreaterThanOrEqual(2);
  await snap(staff, testInfo, 'rebate-reissued');
  await staffContext.close();

  // The customer sees 第N版 (this one or a later one from the other project) and the 第1版.
  row = await statementMonth(page, month);
  const status = (await row.getByTestId('rebate-status').textContent())!;
  expect(Number(status.match(/第(\d+)版/)![1])).toBeGreaterThanOrEqual(issued);
  expect(status).toContain('再発行');
  await expect(row.locator('.reissue-reason')).toContainText('E2E');
  await expect(row.locator('.earlier-versions').getByRole('link', { name: /^第1版/ })).toHaveAttribute(
    'href',
    `/documents/rebate/${month}.pdf?version=1`,
  );
  await expectAccessible(page, testInfo, `rebate-reissued-month-${testInfo.project.name}`);
  await snap(page, testInfo, 'rebate-reissued-month');
});

test('締め: a customer gets a refusal, not the staff forms', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.hansha.email);
  await page.goto('/staff/rebate-close');
  await waitForHydration(page);
  await expect(page.getByRole('button', { name: '締める' })).toHaveCount(0);
  await snap(page, testInfo, 'rebate-close-refused');
});
