import { expect, test } from '@playwright/test';
import { pinFromOutbox, requestPin } from './helpers';

/**
 * Runs after the pc and phone projects (see playwright.config.ts): it moves the server's
 * clock (DAIKO_TEST_CLOCK=1), which would disturb tests running beside it.
 */
for (const size of [
  { name: 'pc', viewport: { width: 1280, height: 800 }, customerId: '10000020', channel: '自動音声（電話）', destination: '052-555-0120', recipient: '+81525550120' },
  { name: 'phone', viewport: { width: 390, height: 844 }, customerId: '10000010', channel: 'メール', destination: 'ultra@example.jp', recipient: 'ultra@example.jp' },
]) {
  test(`${size.name}: an expired PIN is refused clearly and a new one can be issued`, async ({ page }) => {
    await page.setViewportSize(size.viewport);
    await requestPin(page, size.customerId, size.channel, size.destination);
    const pin = await pinFromOutbox(page, size.recipient);

    const moved = await page.request.post('/api/test/clock', { form: { advance: '601' } });
    expect(moved.status()).toBe(204);
    await page.locator('#pin').fill(pin);
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page.locator('.error-box').first()).toHaveText('PINコードの有効期限が切れました。もう一度PINコードを発行してください。');

    await page.getByRole('link', { name: 'もう一度PINコードを発行する' }).click();
    await expect(page).toHaveURL(/\/contact$/);
    await requestPin(page, size.customerId, size.channel, size.destination);
    const fresh = await pinFromOutbox(page, size.recipient);
    await page.locator('#pin').fill(fresh);
    await page.getByRole('button', { name: '確認する' }).click();
    await expect(page).toHaveURL(/\/contact\/new-password$/);
  });
}
