import { expect, test } from '@playwright/test';
import { ACCOUNTS, isPhone, login, snap, waitForHydration } from './helpers';

// 画面1's type-ahead (issue #10 items 1 and 9): where the suggestions appear, and the keyboard.
test.describe('発注 画面1 type-ahead', () => {
  test.beforeEach(async ({ page }, testInfo) => {
    await login(page, isPhone(testInfo) ? ACCOUNTS.ultra.email : ACCOUNTS.hansha.email);
    await page.goto('/order');
    await waitForHydration(page);
  });

  test('suggestions hang directly under the input', async ({ page }, testInfo) => {
    const input = page.locator('#product-query');
    await input.pressSequentially('じょうすい', { delay: 30 });
    const list = page.getByRole('listbox', { name: '商品の候補' });
    await expect(list).toBeVisible();
    await expect(input).toHaveAttribute('aria-expanded', 'true');
    const i = (await input.boundingBox())!;
    const l = (await list.boundingBox())!;
    expect(l.y - (i.y + i.height)).toBeGreaterThanOrEqual(0);
    expect(l.y - (i.y + i.height)).toBeLessThan(8);
    expect(Math.abs(l.x - i.x)).toBeLessThan(2);
    // The field is as tall as its label and input, not a 20rem flex-basis.
    const field = (await page.locator('.typeahead-field').boundingBox())!;
    expect(field.height).toBeLessThan(100);
    await snap(page, testInfo, isPhone(testInfo) ? 'typeahead-phone' : 'typeahead-pc');
  });

  test('an exact code and Tab selects it; the quantity field is next', async ({ page }) => {
    const input = page.locator('#product-query');
    await input.pressSequentially('a-1001', { delay: 20 });
    await input.press('Tab');
    await expect(page.getByTestId('selected-product')).toContainText('A-1001');
    await expect(page.locator('#quantity')).toBeFocused();
    await page.locator('#quantity').fill('3');
    await page.locator('#quantity').press('Enter');
    await expect(page.locator('.cart-line[data-code="A-1001"]')).toBeVisible();
    // Enter right after typing a code works too, before any suggestion is touched.
    await input.fill('b-2001');
    await input.press('Enter');
    await expect(page.getByTestId('selected-product')).toContainText('B-2001');
  });

  test('arrow keys move through the suggestions and Enter takes the highlighted one', async ({ page }) => {
    const input = page.locator('#product-query');
    await input.pressSequentially('じょうすい', { delay: 30 });
    const options = page.getByRole('option');
    await expect(options.nth(1)).toBeVisible();
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'false');
    await expect(input).toHaveAttribute('aria-activedescendant', 'product-option-1');
    await input.press('ArrowUp');
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
    await input.press('ArrowDown');
    const code = await options.nth(1).getAttribute('data-code');
    await input.press('Enter');
    await expect(page.getByTestId('selected-product')).toContainText(code!);
    await expect(page.getByRole('listbox', { name: '商品の候補' })).toBeHidden();
    await expect(input).toHaveAttribute('aria-expanded', 'false');
  });

  test('cart lines change quantity; the cart is frozen while the confirmation shows; stale errors clear', async ({ page }, testInfo) => {
    const input = page.locator('#product-query');
    await input.pressSequentially('a-1001', { delay: 20 });
    await input.press('Enter');
    // Enter before the suggestions arrive looks the code up; it is chosen once it shows.
    await expect(page.getByTestId('selected-product')).toContainText('A-1001');
    // A refused quantity explains itself, and goes away once the customer types again.
    await page.locator('#quantity').fill('0');
    await page.locator('#quantity').press('Enter');
    const error = page.locator('.order-typeahead .error-box');
    await expect(error).toHaveText('数量は1以上で入力してください。');
    await page.locator('#quantity').fill('2');
    await expect(error).toHaveCount(0);
    await page.locator('#quantity').press('Enter');

    const line = page.locator('.cart-line[data-code="A-1001"]');
    const qty = line.locator('input.cart-quantity');
    await expect(qty).toHaveValue('2');
    await expect(page.getByTestId('cart-total')).toHaveText('¥8,360'); // 2 × ¥3,800 + 10%
    await qty.fill('5');
    await qty.press('Enter');
    await expect(page.getByTestId('cart-total')).toHaveText('¥20,900');
    await qty.fill('0');
    await qty.press('Enter');
    await expect(page.locator('.cart-error')).toHaveText('数量は1以上で入力してください。');
    await expect(line.locator('input.cart-quantity')).toHaveValue('5');
    await line.locator('input.cart-quantity').fill('4');
    await line.locator('input.cart-quantity').press('Enter');
    await expect(page.locator('.cart-error')).toHaveCount(0);
    await expect(page.getByTestId('cart-total')).toHaveText('¥16,720');

    await page.getByTestId('to-confirm').click();
    await expect(page.getByRole('heading', { name: 'ご注文内容の確認' })).toBeVisible();
    await expect(page.locator('.order-typeahead .add-to-cart')).toBeDisabled();
    await expect(page.getByTestId('cart-locked')).toBeVisible();
    await expect(line.locator('input.cart-quantity')).toHaveCount(0);
    await expect(line.getByRole('button', { name: '削除' })).toHaveCount(0);
    await expect(line).toContainText('4');
    await snap(page, testInfo, 'cart-frozen-while-confirming');
    await page.getByRole('button', { name: '戻って修正する' }).click();
    await expect(page.locator('.order-typeahead .add-to-cart')).toBeEnabled();
    await expect(line.locator('input.cart-quantity')).toHaveValue('4');
  });
});
