import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { ACCOUNTS, login, snap, waitForHydration } from './helpers';

// Issue #10 item 11: each month's 還元額 and its breakdown on screen, the same as the PDF.
test('還元額計算書: the month\'s amount and breakdown on screen match the PDF', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.hansha.email);
  await page.goto('/documents/rebate');
  await waitForHydration(page);
  const month = page.locator('.rebate-month').first();
  const amount = month.getByTestId('rebate-amount');
  await expect(amount).toHaveText(/^¥[\d,]+$/);
  const shown = (await amount.textContent())!.trim();

  const breakdown = month.locator('details.rebate-breakdown');
  await expect(breakdown.locator('summary')).toContainText(/内訳（下位のお客様のご注文 \d+件・税抜 ¥[\d,]+）/);
  await breakdown.locator('summary').click();
  const rows = breakdown.locator('.rebate-segments tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText('%');
  // The segments add up to the amount shown.
  const parts = await rows.locator('td[data-label="還元額"]').allTextContents();
  const sum = parts.map((t) => Number(t.replace(/[¥,]/g, ''))).reduce((a, b) => a + b, 0);
  expect(sum).toBe(Number(shown.replace(/[¥,]/g, '')));
  await snap(page, testInfo, 'rebate-month-on-screen');

  // The PDF of the same month prints the same 還元額.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    month.getByRole('link', { name: 'PDFをダウンロード' }).click(),
  ]);
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' });
  expect(text.replace(/\s+/g, '')).toContain(`${shown.replace('¥', '')}-`);
});
