import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS, isPhone, login, openMenu, shell, snap, waitForHydration } from './helpers';

/** 全国販社 staff: searches everyone. */
const STAFF = 'honbu@example.jp';

/** 顧客検索 page controls (stable ids and labels for other tests too). */
export function customerSearch(page: Page) {
  return {
    query: page.getByLabel('キーワード（代理店名・カナ・電話番号）'),
    submit: page.getByRole('button', { name: '検索', exact: true }),
    status: page.getByTestId('search-status'),
    hits: page.getByTestId('customer-hit'),
    hit: (customerId: string) => page.getByTestId('customer-hit').filter({ hasText: customerId }),
  };
}

/** Opens 顧客検索 through the マスタメンテ menu (folded behind メニュー on a phone). */
async function openCustomerSearch(page: Page, phone: boolean): Promise<void> {
  if (phone) await openMenu(page);
  await shell(page).nav.locator('#master-menu').getByRole('link', { name: '顧客検索' }).click();
  await expect(page).toHaveURL('/master/customers');
  await expect(page.getByRole('heading', { level: 1, name: '顧客検索' })).toBeVisible();
  await waitForHydration(page);
}

test.describe('顧客検索 (R4)', () => {
  test('a 画面1 user saves the results as CSV (UTF-8 with BOM, Shift_JIS), downline only', async ({ page }, testInfo) => {
    await login(page, 'hansha@example.jp');
    await openCustomerSearch(page, isPhone(testInfo));
    const s = customerSearch(page);
    await s.query.fill('株式会社');
    await s.submit.click();
    await expect(s.hit('10000040')).toBeVisible();
    const save = page.getByTestId('customers-csv');
    await expect(save).toBeVisible();
    const box = await save.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await snap(page, testInfo, 'customer-search-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toBe('customers.csv');
    const fs = await import('node:fs/promises');
    const bytes = await fs.readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('お客様ID,代理店名,カナ,電話番号,ランク,販売事業部,上位店お客様ID,上位店名');
    expect(text).toContain('10000040,株式会社ひまわり総代理店');
    // 株式会社みどり商事 (10000010) is this user's upline: not in their export.
    expect(text).not.toContain('10000010');
    expect(text).not.toContain('@');
    await page.getByLabel('CSVの文字コード').selectOption('sjis');
    const [sjis] = await Promise.all([page.waitForEvent('download'), save.click()]);
    const raw = await fs.readFile(await sjis.path());
    const decoded = new TextDecoder('shift_jis').decode(raw);
    expect(decoded).toContain('10000040,株式会社ひまわり総代理店');
  });

  test('staff find a customer by kana typed in hiragana, as they type', async ({ page }, testInfo) => {
    await login(page, STAFF);
    await openCustomerSearch(page, isPhone(testInfo));
    const s = customerSearch(page);
    // Typed key by key, no Enter: the type-ahead searches once typing settles.
    await s.query.pressSequentially('さとう　はな', { delay: 40 });
    await expect(s.hits).toHaveCount(1);
    const row = s.hit('10000080');
    await expect(row).toContainText('佐藤 花子');
    await expect(row).toContainText('サトウ ハナコ');
    await expect(row).toContainText('一般');
    await expect(row).toContainText('ショップこばやし（10000070）');
    await expect(row).toBeVisible();
    // E-mail is never shown.
    await expect(page.locator('main, .content').first()).not.toContainText('@');
    // Staff open the hit on their customer screen.
    await row.getByTestId('hit-edit').click();
    await expect(page).toHaveURL('/staff/customers/10000080');
    await expect(page.getByTestId('detail-code')).toHaveText('10000080');
  });

  test('staff find a customer by phone number typed with hyphens', async ({ page }, testInfo) => {
    await login(page, STAFF);
    await openCustomerSearch(page, isPhone(testInfo));
    const s = customerSearch(page);
    await s.query.fill('090-5555-0150');
    await s.submit.click();
    await expect(s.hits).toHaveCount(1);
    await expect(s.hit('10000050')).toContainText('たなか代理店');
    // The same customer by its last 4 digits, in full-width.
    await s.query.fill('０１５０');
    await s.query.press('Enter');
    await expect(s.hits).toHaveCount(1);
    await expect(s.hit('10000050')).toBeVisible();
    // An e-mail address finds nothing.
    await s.query.fill('dairiten@example.jp');
    await s.query.press('Enter');
    await expect(s.status).toHaveText('該当するお客様はいません。');
  });

  test('a 販社 sees only its own downline', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.hansha.email);
    await openCustomerSearch(page, isPhone(testInfo));
    const s = customerSearch(page);
    await s.query.fill('ｻﾄｳ');
    await s.query.press('Enter');
    await expect(s.hit('10000080')).toBeVisible();
    // 合同会社あおば is under the same upline but not below this 販社.
    await s.query.fill('あおば');
    await s.query.press('Enter');
    await expect(s.status).toHaveText('該当するお客様はいません。');
  });

  test('画面2 users have no マスタメンテ menu', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.shop.email);
    if (isPhone(testInfo)) await openMenu(page);
    await expect(shell(page).nav).toBeVisible();
    await expect(page.locator('#master-menu')).toHaveCount(0);
  });

  test('画面1: told the scope, sees the phone, opens a read-only customer page; one page has no 前/次', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.hansha.email);
    await openCustomerSearch(page, isPhone(testInfo));
    const s = customerSearch(page);
    await expect(page.getByTestId('search-scope')).toHaveText('検索できるのは、ご自身の下位のお客様（ダウンライン）だけです。');
    // A slow answer shows that the search is running.
    await page.route('**/api/customers/search**', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await s.query.fill('ひまわり');
    await s.submit.click();
    await expect(page.getByTestId('searching')).toHaveText('検索中…');
    await expect(s.hits).toHaveCount(1);
    await expect(page.getByTestId('searching')).toHaveText('');
    await page.unroute('**/api/customers/search**');
    const row = s.hit('10000040');
    await expect(row.locator('.phone')).toHaveText('045-555-0140');
    await expect(page.locator('.pager')).toBeHidden();
    await expect(page.getByRole('button', { name: '次の50件' })).toBeHidden();
    await snap(page, testInfo, 'customer-search-screen1');
    await row.getByTestId('hit-open').click();
    await expect(page).toHaveURL('/master/customers/10000040');
    const card = page.getByTestId('customer-card');
    await expect(card.getByTestId('card-code')).toHaveText('10000040');
    await expect(card.getByTestId('card-phone')).toHaveText('045-555-0140');
    await expect(card).toContainText('株式会社ひまわり総代理店');
    await expect(page.locator('main')).not.toContainText('@');
    // Read-only: nothing to submit.
    await expect(page.locator('main form, main input, main select')).toHaveCount(0);
    await snap(page, testInfo, 'customer-view-screen1');
  });

  test('画面1: a customer outside the downline is the same 404 as an unknown お客様ID', async ({ page }) => {
    await login(page, ACCOUNTS.hansha.email);
    const sibling = await page.request.get('/api/customers/view?code=10000031');
    const upline = await page.request.get('/api/customers/view?code=10000020');
    const unknown = await page.request.get('/api/customers/view?code=99999999');
    expect(sibling.status()).toBe(404);
    expect(upline.status()).toBe(404);
    expect(unknown.status()).toBe(404);
    expect(await sibling.text()).toBe(await unknown.text());
    expect(await upline.text()).toBe(await unknown.text());
    const own = await page.request.get('/api/customers/view?code=10000050');
    expect(own.status()).toBe(200);
    const body = await own.text();
    expect(body).toContain('090-5555-0150');
    expect(body).not.toContain('@');
    await page.goto('/master/customers/10000031');
    await waitForHydration(page);
    await expect(page.locator('main .error-box')).toHaveText('お探しのページは見つかりませんでした。');
    await expect(page.locator('main')).not.toContainText('合同会社あおば');
  });
});
