import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { ACCOUNTS, isPhone, login, requestPin, snap, waitForHydration } from './helpers';

// Issue #10 item 3: axe-core on every page, at both sizes (the pc and phone projects), with no
// serious or critical violation.

/** Opens `path`, waits for hydration and for loading placeholders to go, then runs axe. */
async function check(page: Page, testInfo: Parameters<typeof expectAccessible>[1], path: string, name: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
  await expect(page.locator('.loading')).toHaveCount(0);
  await expectAccessible(page, testInfo, `${name}-${testInfo.project.name}`);
}

test.describe('accessibility (axe-core)', () => {
  // Each test walks many pages and runs axe on each: more than the default 30 s.
  test.describe.configure({ timeout: 120_000 });

  test('public pages: login, お問い合わせ and its steps, verify link, outbox, 404', async ({ page }, testInfo) => {
    await check(page, testInfo, '/login', 'login');
    await check(page, testInfo, '/contact', 'contact');
    await check(page, testInfo, '/contact/enter', 'contact-enter');
    await check(page, testInfo, '/contact/new-password', 'contact-new-password');
    await check(page, testInfo, '/contact/done', 'contact-done');
    await check(page, testInfo, '/verify/' + '0'.repeat(64), 'verify-unknown-link');
    await check(page, testInfo, '/dev/outbox', 'dev-outbox');
    await check(page, testInfo, '/no-such-page', 'not-found');
    // The PIN page, reached as a customer would (ippan's registered mail).
    await requestPin(page, ACCOUNTS.ippan.customerId, 'メール', ACCOUNTS.ippan.email);
    await expect(page.locator('.loading')).toHaveCount(0);
    await expectAccessible(page, testInfo, `contact-pin-${testInfo.project.name}`);
  });

  test('画面1 (会員登録あり 販社): every page of the menu', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.hansha.email);
    for (const [path, name] of [
      ['/', 'home-screen1'],
      ['/account', 'account'],
      ['/account/register-login', 'account-register-login'],
      ['/order', 'order-screen1'],
      ['/orders', 'orders-screen1'],
      ['/documents/rebate', 'rebate-screen1'],
      ['/master/customers', 'customer-search'],
      ['/master/customers/10000040', 'customer-view'],
      ['/master/agency/register', 'agency-register'],
    ] as const) {
      await check(page, testInfo, path, name);
    }
    // The type-ahead with its suggestions open, and search results shown.
    await page.goto('/order');
    await waitForHydration(page);
    await page.locator('#product-query').pressSequentially('じょうすい', { delay: 30 });
    await expect(page.getByRole('listbox', { name: '商品の候補' })).toBeVisible();
    await page.locator('#product-query').press('ArrowDown');
    await expectAccessible(page, testInfo, `order-suggestions-${testInfo.project.name}`);
    await page.goto('/master/customers');
    await waitForHydration(page);
    await page.getByLabel('キーワード（代理店名・カナ・電話番号）').fill('ひまわり');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await expect(page.getByTestId('customer-hit').first()).toBeVisible();
    await expectAccessible(page, testInfo, `customer-search-results-${testInfo.project.name}`);
  });

  test('画面2 (ショップ): top, catalogue, history, rebate, a refused page', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.shop.email);
    for (const [path, name] of [
      ['/', 'home-screen2'],
      ['/order', 'order-screen2'],
      ['/orders', 'orders-screen2'],
      ['/documents/rebate', 'rebate-screen2'],
      ['/master/customers', 'forbidden-search'],
      ['/staff/products', 'forbidden-staff'],
    ] as const) {
      await check(page, testInfo, path, name);
    }
    await snap(page, testInfo, `forbidden-${isPhone(testInfo) ? 'phone' : 'pc'}`);
  });

  test('全国販社 staff pages', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.honbu.email);
    for (const [path, name] of [
      ['/staff/products', 'staff-products'],
      ['/staff/rebate-rates', 'staff-rebate-rates'],
      ['/staff/customers/new', 'staff-customer-new'],
      ['/staff/customers/10000050', 'staff-customer-edit'],
      ['/staff/reset', 'staff-reset'],
      ['/staff/logins', 'staff-logins'],
      ['/staff/audit', 'staff-audit'],
      ['/documents/rebate?customer=10000030', 'rebate-staff'],
      ['/master/customers', 'customer-search-staff'],
    ] as const) {
      await check(page, testInfo, path, name);
    }
  });
});
