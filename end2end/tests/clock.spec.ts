import { expect, test } from '@playwright/test';
import { pinFromOutbox, requestPin, snap } from './helpers';

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

// Issue #10 item 14: 再送信 is disabled during the cooldown, with the seconds shown.
test('resend waits out the 60 s cooldown, counting the seconds down', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await requestPin(page, '10000080', 'メール', 'ippan@example.jp');
  const resend = page.getByTestId('resend');
  const seconds = async () => Number(((await resend.textContent()) ?? '').match(/あと(\d+)秒/)?.[1] ?? -1);
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveText(/^同じPINコードを再送信（あと\d+秒）$/);
  const first = await seconds();
  expect(first).toBeGreaterThan(45);
  expect(first).toBeLessThanOrEqual(60);
  await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(first);
  await snap(page, testInfo, 'resend-cooldown');

  const moved = await page.request.post('/api/test/clock', { form: { advance: '61' } });
  expect(moved.status()).toBe(204);
  // The next status ends the cooldown: the mail has left, so the page polls every 15 s
  // (contact_pin.rs SLOW_POLL); between polls it counts down by itself.
  await expect(resend).toBeEnabled({ timeout: 20_000 });
  await expect(resend).toHaveText('同じPINコードを再送信');
  await resend.click();
  await expect(page.getByText('再送信しました。')).toBeVisible();
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveText(/あと\d+秒/);
});
