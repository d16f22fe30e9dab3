import { expect, test, type Page } from '@playwright/test';
import { waitForHydration } from './helpers';

/**
 * お問い合わせ: reset login information with a PIN, end to end. The server runs with the
 * development outbox (DAIKO_DEV_OUTBOX=1); the test reads the PIN from /dev/outbox as the
 * customer would from their phone or mailbox. Each project resets its own account.
 */
const ACCOUNTS = {
  pc: { customerId: '10000040', email: 'sodairiten@example.jp', channel: 'メール', destination: 'sodairiten@example.jp', recipient: 'sodairiten@example.jp' },
  phone: { customerId: '10000060', email: 'taiki@example.jp', channel: 'ショートメッセージ（SMS）', destination: '080-5555-0160', recipient: '+818055550160' },
} as const;

async function pinFromOutbox(page: Page, recipient: string): Promise<string> {
  const outbox = await page.context().newPage();
  try {
    await expect(async () => {
      await outbox.goto('/dev/outbox');
      await expect(outbox.locator('.outbox-item').filter({ hasText: recipient }).first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    const body = await outbox.locator('.outbox-item').filter({ hasText: recipient }).first().locator('pre').innerText();
    const m = body.match(/「(\d{6})」/);
    expect(m, body).not.toBeNull();
    return m![1];
  } finally {
    await outbox.close();
  }
}

test('a customer resets the password alone with a PIN, then logs in with it', async ({ page }, testInfo) => {
  const a = ACCOUNTS[testInfo.project.name as 'pc' | 'phone'];
  const newPassword = `new-pass-${testInfo.project.name}-${Date.now()}`;

  await page.goto('/login');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'お問い合わせ' }).click();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole('heading', { name: 'お問い合わせ' })).toBeVisible();

  await page.locator('#customer_code').fill(a.customerId);
  await page.getByLabel(a.channel, { exact: true }).check();
  await page.locator('#destination').fill(a.destination);
  await page.getByRole('button', { name: 'PINコードを送信' }).click();

  await expect(page).toHaveURL(/\/contact\/pin\/[0-9a-f]{64}$/);
  await expect(page.getByTestId('deadline')).toHaveText(/^\d{2}:\d{2}$/);
  await waitForHydration(page);

  // A wrong PIN first: a clear message, the form stays.
  const pin = await pinFromOutbox(page, a.recipient);
  const wrong = pin === '000000' ? '111111' : '000000';
  await page.locator('#pin').fill(wrong);
  await page.getByRole('button', { name: '確認する' }).click();
  await expect(page.locator('.error-box')).toHaveText('PINコードが正しくありません。');

  await page.locator('#pin').fill(pin);
  await page.getByRole('button', { name: '確認する' }).click();
  await expect(page).toHaveURL(/\/contact\/new-password$/);

  // Too short first, then the real one.
  await waitForHydration(page);
  await page.locator('#password').fill('short');
  await page.locator('#confirm').fill('short');
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.locator('.error-box')).toContainText('10文字以上');
  await page.locator('#password').fill(newPassword);
  await page.locator('#confirm').fill(newPassword);
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page).toHaveURL(/\/contact\/done$/);
  await expect(page.getByRole('status')).toContainText('新しいパスワードでログインしてください');

  // Never logged in by the reset: the top page still asks for a login.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await waitForHydration(page);
  await page.locator('#email').fill(a.email);
  await page.locator('#password').fill(newPassword);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('[data-testid="customer-id"] .value')).toHaveText(a.customerId);
});

test('an unknown お客様ID gets the same PIN page', async ({ page }) => {
  await page.goto('/contact');
  await waitForHydration(page);
  await page.locator('#customer_code').fill('99999999');
  await page.getByLabel('メール', { exact: true }).check();
  await page.locator('#destination').fill('someone@example.jp');
  await page.getByRole('button', { name: 'PINコードを送信' }).click();
  await expect(page).toHaveURL(/\/contact\/pin\/[0-9a-f]{64}$/);
  await expect(page.getByTestId('deadline')).toHaveText(/^\d{2}:\d{2}$/);
});

test('SMS to a landline is refused with a clear message', async ({ page }) => {
  await page.goto('/contact');
  await waitForHydration(page);
  await page.locator('#customer_code').fill('10000030');
  await page.locator('#destination').fill('092-555-0130');
  await page.getByRole('button', { name: 'PINコードを送信' }).click();
  await expect(page.locator('.error-box')).toContainText('自動音声をお選びください');
  await expect(page).toHaveURL(/\/contact$/);
});
