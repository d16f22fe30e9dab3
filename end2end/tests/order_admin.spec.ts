import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { expectAccessible } from './a11y';
import { ACCOUNTS, isPhone, login, snap, waitForHydration } from './helpers';

// Issue #11.1 受注管理: staff filter the orders, ship one, and the customer's 注文履歴 shows
// 出荷済; a cancel without a reason is refused on screen. Both sizes, axe clean.

function viewport(testInfo: TestInfo) {
  return isPhone(testInfo) ? { width: 390, height: 844 } : { width: 1280, height: 800 };
}

/** A fresh order of 10000030 (やまだ販社), placed through the ordering API. */
async function placeOrder(browser: Browser, testInfo: TestInfo) {
  const context = await browser.newContext({ viewport: viewport(testInfo) });
  const page = await context.newPage();
  await login(page, ACCOUNTS.hansha.email);
  const res = await page.request.post('/api/orders/place', {
    data: {
      lines: [
        { product_code: 'A-1006', quantity: '2', unit_price_yen: 680, tax_rate_percent: 10 },
        { product_code: 'B-2001', quantity: '1', unit_price_yen: 1080, tax_rate_percent: 8 },
      ],
    },
  });
  expect(res.status()).toBe(200);
  const number = (await res.json()).order_number as string;
  return { context, page, number };
}

test('staff filter the orders, ship one; the customer sees 出荷済 in 注文履歴', async ({ browser, page }, testInfo) => {
  const customer = await placeOrder(browser, testInfo);
  const number = customer.number;

  await login(page, ACCOUNTS.honbu.email);
  await page.goto('/staff/orders');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '受注管理（職員）' })).toBeVisible();
  await page.locator('#of-status').selectOption('received');
  await page.locator('#of-q').fill(ACCOUNTS.hansha.customerId);
  await page.getByTestId('orders-filter').click();
  // A plain GET form: the filters are in the URL, so the list can be shared.
  await expect(page).toHaveURL(/status=received/);
  await expect(page).toHaveURL(/q=10000030/);
  const row = page.locator(`[data-testid="order-row"][data-order-number="${number}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('受付');
  await expect(row).toContainText('有限会社やまだ販社');
  // Phone: cards, no sideways scrolling.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, testInfo, 'staff-orders');
  await snap(page, testInfo, 'staff-orders-filtered');

  await row.getByTestId('order-open').click();
  await expect(page).toHaveURL(`/staff/orders/${number}`);
  await waitForHydration(page);
  await expect(page.getByTestId('order-status')).toHaveText('受付');
  await expectAccessible(page, testInfo, 'staff-order-detail');
  await snap(page, testInfo, 'staff-order-detail');

  // A bad 送り状番号 is refused in Japanese and the typed value stays.
  await page.locator('#ship-tracking').fill('ABC');
  await page.getByTestId('ship-submit').click();
  await expect(page.locator('.action-result .error-box')).toContainText('送り状番号は数字とハイフン');
  await expect(page.locator('#ship-tracking')).toHaveValue('ABC');
  await expect(page.getByTestId('order-status')).toHaveText('受付');

  await page.locator('#ship-tracking').fill('1234-5678-9012');
  await page.getByTestId('ship-submit').click();
  await expect(page.getByTestId('action-done')).toContainText('出荷済にしました');
  await expect(page.getByTestId('order-status')).toHaveText('出荷済');
  await expect(page.locator('#ship-tracking')).toHaveCount(0);
  await expect(page.locator('form.order-return')).toBeVisible();
  await snap(page, testInfo, 'staff-order-shipped');

  // The customer's 注文履歴.
  await customer.page.goto('/orders');
  await waitForHydration(customer.page);
  const card = customer.page.locator(`section.order[data-order-number="${number}"]`);
  await expect(card.locator('.status')).toHaveText('出荷済');
  await expect(card.getByTestId('shipment')).toContainText('送り状番号 1234-5678-9012');
  await expectAccessible(customer.page, testInfo, 'order-history-shipped');
  await snap(customer.page, testInfo, 'order-history-shipped');
  await customer.context.close();
});

test('a cancel without a reason is refused on screen and changes nothing', async ({ browser, page }, testInfo) => {
  const customer = await placeOrder(browser, testInfo);
  await customer.context.close();
  await login(page, ACCOUNTS.honbu.email);
  await page.goto(`/staff/orders/${customer.number}`);
  await waitForHydration(page);
  await page.getByTestId('cancel-submit').click();
  const error = page.locator('.action-result .error-box[role="alert"]');
  await expect(error).toHaveText('取消理由を入力してください。');
  await expect(page.getByTestId('order-status')).toHaveText('受付');
  await expectAccessible(page, testInfo, 'staff-order-cancel-error');
  await snap(page, testInfo, 'staff-order-cancel-error');

  await page.locator('#cancel-reason').fill('お客様のご依頼により取消');
  await page.getByTestId('cancel-submit').click();
  await expect(page.getByTestId('action-done')).toContainText('取り消しました');
  await expect(page.getByTestId('order-status')).toHaveText('取消');
  await expect(page.getByTestId('no-actions')).toBeVisible();
});

test('受注管理 is for staff only', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.hansha.email);
  await page.goto('/staff/orders');
  await waitForHydration(page);
  await expect(page.getByTestId('order-list')).toHaveCount(0);
  await expect(page.locator('main')).toContainText('全国販社');
  await snap(page, testInfo, 'staff-orders-refused');
});
