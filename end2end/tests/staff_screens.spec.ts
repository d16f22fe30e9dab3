import { randomInt, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ACCOUNTS, isPhone, login, snap, waitForHydration } from './helpers';

// Issue #10 item 12 (Japanese dates whatever the browser's language; staff tables on a phone)
// and item 13 (staff correct a customer's name, kana, phone, postal code and address).

test('還元率: the start date is our own Japanese-checked text field, also in an English browser', async ({ browser }, testInfo) => {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: isPhone(testInfo) ? { width: 390, height: 844 } : { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await login(page, ACCOUNTS.honbu.email);
  await page.goto('/staff/rebate-rates');
  await waitForHydration(page);
  const date = page.locator('#effective_from');
  await expect(date).toHaveAttribute('type', 'text');
  await expect(date).toHaveAttribute('lang', 'ja');
  await expect(page.locator('form.rate-form')).toHaveAttribute('novalidate', '');
  await page.locator('#percent').fill('4.5');
  for (const [typed, message] of [
    ['2026-02-30', '適用開始日は「年-月-日」の形で、実在する日付を入力してください（例: 2026-12-01）。'],
    ['', '適用開始日を入力してください（例: 2026-12-01）。'],
    ['2001-01-01', '適用開始日は今日以降の日付にしてください。発行済みの計算書は変わりません。'],
  ]) {
    await date.fill(typed);
    await page.getByRole('button', { name: '追加する' }).click();
    await expect(page.locator('.rate-form .error-box')).toHaveText(message);
  }
  // No browser bubble: the field is not in an invalid state as far as the browser knows.
  expect(await date.evaluate((el) => (el as HTMLInputElement).validationMessage)).toBe('');
  await snap(page, testInfo, 'rebate-rate-date-message');
  await context.close();
});

test('phone: 商品管理 and 還元率 tables fit the screen', async ({ page }, testInfo) => {
  test.skip(!isPhone(testInfo), 'seen on the phone');
  await login(page, ACCOUNTS.honbu.email);
  for (const [path, table] of [
    ['/staff/products', 'table.staff-products'],
    ['/staff/rebate-rates', 'table.rates'],
  ] as const) {
    await page.goto(path);
    await waitForHydration(page);
    await expect(page.locator(table)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    const box = (await page.locator(table).boundingBox())!;
    expect(box.x + box.width, path).toBeLessThanOrEqual(390);
    await page.locator(table).scrollIntoViewIfNeeded();
    await snap(page, testInfo, `table-fits-${path.split('/').pop()}`);
  }
  // Every value keeps its label on the phone.
  await expect(page.locator('table.rates tbody tr').first().locator('td[data-label="適用開始日"]')).toBeVisible();
});

test('staff correct a customer\'s 代理店名, カナ, 電話番号, 郵便番号 and 住所; search follows', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.honbu.email);
  // A customer of this test's own, so no other test sees the change.
  const n = String(randomInt(0, 10_000_000)).padStart(7, '0');
  await page.goto('/staff/customers/new');
  await waitForHydration(page);
  await page.locator('#reg_rank').selectOption({ label: '一般' });
  await page.locator('#reg_upline').fill('10000070');
  await page.locator('#reg_name').fill('訂正前商店');
  await page.locator('#reg_kana').fill('ていせいまえ');
  await page.locator('#reg_phone').fill(`070-6${n.slice(0, 3)}-${n.slice(3)}`);
  await page.locator('#reg_email').fill(`e2e-fix-${randomUUID()}@example.jp`);
  await page.locator('#reg_postal').fill('1000001');
  await page.locator('#reg_address').fill('東京都千代田区千代田1-1');
  await page.getByRole('button', { name: '登録する' }).click();
  const code = (await page.getByTestId('new-customer-id').textContent())!.trim();
  expect(code).toMatch(/^\d{8}$/);

  await page.goto(`/staff/customers/${code}`);
  await waitForHydration(page);
  await expect(page.locator('#ed_name')).toHaveValue('訂正前商店');
  // The registration rules, every problem at its field.
  await page.locator('#ed_kana').fill('Teisei');
  await page.locator('#ed_postal').fill('12-34');
  await page.getByRole('button', { name: '訂正する' }).click();
  await expect(page.locator('#kana-error')).toContainText('カタカナ');
  await expect(page.locator('#postal_code-error')).toContainText('郵便番号');
  await expect(page.locator('#ed_kana')).toBeFocused();
  await expect(page.locator('#ed_kana')).toHaveAttribute('aria-invalid', 'true');

  const m = String(randomInt(0, 10_000_000)).padStart(7, '0');
  const phone = `080-6${m.slice(0, 3)}-${m.slice(3)}`;
  const kana = `ていせいご${['あ', 'い', 'う', 'え', 'お'][randomInt(0, 5)]}${m}`.replace(/\d/g, (d) => 'かきくけこさしすせそ'[Number(d)]);
  await page.locator('#ed_name').fill('訂正後商店');
  await page.locator('#ed_kana').fill(kana);
  await page.locator('#ed_phone').fill(phone);
  await page.locator('#ed_postal').fill('８１２－００１１');
  await page.locator('#ed_address').fill('福岡県福岡市博多区博多駅前3-3');
  await page.getByRole('button', { name: '訂正する' }).click();
  await expect(page.getByTestId('details-saved')).toHaveText('訂正しました。');
  const detail = page.getByTestId('customer-detail');
  await expect(detail).toContainText('訂正後商店');
  await expect(detail).toContainText(phone);
  await expect(detail).toContainText('〒812-0011 福岡県福岡市博多区博多駅前3-3');
  await snap(page, testInfo, 'staff-customer-corrected');

  // The search keys were refreshed with the row: the new kana and phone find it, the old name not.
  await page.goto('/master/customers');
  await waitForHydration(page);
  const q = page.getByLabel('キーワード（代理店名・カナ・電話番号）');
  for (const typed of [kana, phone]) {
    await q.fill(typed);
    await q.press('Enter');
    await expect(page.getByTestId('customer-hit').filter({ hasText: code })).toHaveCount(1);
  }
  await q.fill('訂正前商店');
  await q.press('Enter');
  await expect(page.getByTestId('customer-hit').filter({ hasText: code })).toHaveCount(0);
});
