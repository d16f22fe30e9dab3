import { expect, test } from '@playwright/test';
import { ACCOUNTS, isPhone, login, shell, snap, waitForHydration } from './helpers';

// Issue #10 item 10: 画面2 on a phone shows the cart's count at the top and links down to it.
test('画面2 phone: the cart count at the top follows the cart and jumps to it', async ({ page }, testInfo) => {
  test.skip(!isPhone(testInfo), 'seen on the phone');
  await login(page, ACCOUNTS.aoba.email);
  await page.goto('/order');
  await waitForHydration(page);
  const link = page.getByTestId('cart-link');
  const count = page.getByTestId('cart-count');
  await expect(count).toHaveText('カートは空です');
  // Right under the bar, above the pictures.
  const bar = (await shell(page).topbar.boundingBox())!;
  const box = (await link.boundingBox())!;
  expect(box.y).toBeLessThan(bar.y + bar.height + 120);
  expect(box.y).toBeLessThan((await page.locator('.product-card').first().boundingBox())!.y);

  const honey = page.locator('.product-card[data-code="B-2004"]');
  await honey.locator('.card-quantity').fill('2');
  await honey.getByRole('button', { name: 'カートに入れる' }).click();
  await page.locator('.product-card[data-code="A-1010"]').getByRole('button', { name: 'カートに入れる' }).click();
  // 8%: ¥4,800 + ¥384; 10%: ¥980 + ¥98.
  await expect(count).toHaveText('カート: 2品目・3点 ¥6,262');
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, testInfo, 'cart-link-phone');
  await link.click();
  await expect(page.getByTestId('cart')).toBeInViewport();
  await expect(page.getByTestId('cart-total')).toHaveText('¥6,262');
});
