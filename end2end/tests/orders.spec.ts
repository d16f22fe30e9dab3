import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { ACCOUNTS, BAR_COLOUR, isPhone, login, openMenu, shell, waitForHydration } from './helpers';

/** Opens 発注 from the menu (folded behind メニュー on phones). */
async function openOrderPage(page: Page, phone: boolean): Promise<void> {
  if (phone) await openMenu(page);
  await shell(page).nav.getByTestId('nav-order').click();
  await expect(page).toHaveURL('/order');
  await expect(page.getByRole('heading', { level: 1, name: '発注' })).toBeVisible();
  await waitForHydration(page);
}

/** 画面1: types into the product field like a person and picks the suggestion for `code`. */
async function pickByTyping(page: Page, typed: string, code: string, quantity: string): Promise<void> {
  const field = page.locator('#product-query');
  await field.fill('');
  await field.pressSequentially(typed, { delay: 30 });
  const hit = page.locator(`.suggestions li.suggestion[data-code="${code}"]`);
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('selected-product')).toContainText(code);
  await page.locator('#quantity').fill(quantity);
  await page.locator('.order-typeahead').getByRole('button', { name: 'カートに入れる' }).click();
  await expect(page.locator(`.cart-line[data-code="${code}"]`)).toBeVisible();
}

/** Confirms the cart, places the order and returns the order number shown. */
async function placeOrder(page: Page, total: string): Promise<string> {
  await expect(page.getByTestId('cart-total')).toHaveText(total);
  await page.getByTestId('to-confirm').click();
  await expect(page.getByRole('heading', { name: 'ご注文内容の確認' })).toBeVisible();
  await page.getByTestId('place-order').click();
  const number = page.getByTestId('order-number');
  await expect(number).toHaveText(/^O-\d{8}-\d{6}$/);
  const n = (await number.textContent())!.trim();
  await expect(page.getByTestId('cart')).toContainText('カートは空です。');
  return n;
}

/** 注文履歴 lists the order as 受付 with its 納品書, which downloads as a PDF carrying the
 *  お客様ID, the order number and the total (read back with pdftotext). */
async function expectInHistory(page: Page, orderNumber: string, total: string, customerId: string): Promise<void> {
  await page.getByRole('link', { name: '注文履歴を見る' }).click();
  await expect(page).toHaveURL('/orders');
  const order = page.locator(`section.order[data-order-number="${orderNumber}"]`);
  await expect(order).toBeVisible();
  await expect(order.locator('.status')).toHaveText('受付');
  await expect(order).toContainText(`合計（税込） ${total}`);
  const pdf = order.getByTestId('delivery-note-link');
  await expect(pdf).toBeVisible();
  await expect(pdf).toHaveAttribute('href', `/documents/delivery-note/${orderNumber}.pdf`);
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' });
  expect(text).toContain('納品書');
  expect(text).toContain(customerId);
  expect(text).toContain(orderNumber);
  expect(text.replace(/\s+/g, '')).toContain(total.replace('¥', ''));
}

test.describe('発注 (R6)', () => {
  test('画面1 (会員登録あり 販社): by product code and by kana, on the brown screen', async ({ page }, testInfo) => {
    await login(page, ACCOUNTS.hansha.email);
    await openOrderPage(page, isPhone(testInfo));
    await expect(shell(page).topbar).toHaveCSS('background-color', BAR_COLOUR.screen1);
    await expect(page.locator('.order-page')).toHaveAttribute('data-order-screen', 'screen1');
    await expect(page.locator('.product-grid')).toHaveCount(0);

    // A code typed in lower case; a name typed in hiragana.
    await pickByTyping(page, 'a-1001', 'A-1001', '2');
    await pickByTyping(page, 'ゆうきりょくちゃ', 'B-2001', '3');
    // 10%: ¥7,600 + ¥760; 8%: ¥3,240 + ⌊259.2⌋.
    const n = await placeOrder(page, '¥11,859');
    await expectInHistory(page, n, '¥11,859', ACCOUNTS.hansha.customerId);
  });

  test('画面1: unknown code and a bad quantity are explained in Japanese', async ({ page }) => {
    await login(page, ACCOUNTS.ultra.email);
    await page.goto('/order');
    await waitForHydration(page);
    await page.locator('#product-query').pressSequentially('X-99', { delay: 30 });
    await expect(page.getByTestId('no-hits')).toHaveText('該当する商品はありません。');
    await page.locator('#product-query').fill('');
    await page.locator('#product-query').pressSequentially('じょうすいき', { delay: 30 });
    await page.locator('.suggestions li.suggestion[data-code="A-1002"]').click();
    await page.locator('#quantity').fill('0');
    await page.locator('.order-typeahead').getByRole('button', { name: 'カートに入れる' }).click();
    await expect(page.locator('.order-typeahead .error-box')).toHaveText('数量は1以上で入力してください。');
    await page.locator('#quantity').fill('10000');
    await page.locator('.order-typeahead').getByRole('button', { name: 'カートに入れる' }).click();
    await expect(page.locator('.order-typeahead .error-box')).toContainText('9999個まで');
    await expect(page.getByTestId('cart')).toContainText('カートは空です。');
  });

  test('画面2 (一般 on PC, ショップ on the phone): from the pictures, on the green screen', async ({ page }, testInfo) => {
    await login(page, isPhone(testInfo) ? ACCOUNTS.shop.email : ACCOUNTS.ippan.email);
    await openOrderPage(page, isPhone(testInfo));
    await expect(shell(page).topbar).toHaveCSS('background-color', BAR_COLOUR.screen2);
    await expect(page.locator('.order-page')).toHaveAttribute('data-order-screen', 'screen2');
    await expect(page.locator('#product-query')).toHaveCount(0);

    const honey = page.locator('.product-card[data-code="B-2004"]');
    await honey.scrollIntoViewIfNeeded();
    await expect(honey.locator('img')).toBeVisible();
    await expect
      .poll(() => honey.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    // 取扱停止 products are not in the catalogue.
    await expect(page.locator('.product-card[data-code="Z-9001"]')).toHaveCount(0);
    if (isPhone(testInfo)) {
      // Two cards side by side on a phone.
      const [a, b] = await Promise.all([
        page.locator('.product-card').nth(0).boundingBox(),
        page.locator('.product-card').nth(1).boundingBox(),
      ]);
      expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
    }

    await honey.locator('.card-quantity').fill('2');
    await honey.getByRole('button', { name: 'カートに入れる' }).click();
    await expect(honey.locator('.ok')).toHaveText('カートに入れました');
    const bag = page.locator('.product-card[data-code="A-1010"]');
    await bag.getByRole('button', { name: 'カートに入れる' }).click();
    // 8%: ¥4,800 + ¥384; 10%: ¥980 + ¥98.
    const n = await placeOrder(page, '¥6,262');
    await expectInHistory(page, n, '¥6,262', (isPhone(testInfo) ? ACCOUNTS.shop : ACCOUNTS.ippan).customerId);
  });
});
