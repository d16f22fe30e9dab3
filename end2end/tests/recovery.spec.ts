import { expect, test, type Page } from '@playwright/test';
import { pinFromOutbox, requestPin, waitForHydration } from './helpers';

/**
 * お問い合わせ: reset login information with a PIN, end to end, by each channel. The server
 * runs with the development outbox; the test reads the PIN there as the customer would from
 * their mailbox or phone. Every project uses its own accounts (they run in parallel).
 */
type Project = 'pc' | 'phone';
interface Reset {
  customerId: string;
  email: string;
  channel: string;
  destination: string;
  recipient: string;
}

// Each reset changes a password and ends that customer's sessions: these four logins are used by
// no other spec (the pc and phone projects run at the same time against one server).
const RESETS: Record<string, Record<Project, Reset>> = {
  'mail or SMS': {
    pc: { customerId: '10000040', email: 'sodairiten@example.jp', channel: 'メール', destination: 'sodairiten@example.jp', recipient: 'sodairiten@example.jp' },
    phone: { customerId: '10000060', email: 'taiki@example.jp', channel: 'ショートメッセージ（SMS）', destination: '080-5555-0160', recipient: '+818055550160' },
  },
  'voice call': {
    pc: { customerId: '10000020', email: 'super@example.jp', channel: '自動音声（電話）', destination: '052-555-0120', recipient: '+81525550120' },
    phone: { customerId: '10000050', email: 'dairiten@example.jp', channel: '自動音声（電話）', destination: '090-5555-0150', recipient: '+819055550150' },
  },
};

async function submitPin(page: Page, pin: string) {
  await page.locator('#pin').fill(pin);
  await page.getByRole('button', { name: '確認する' }).click();
}

for (const [kind, byProject] of Object.entries(RESETS)) {
  test(`reset by ${kind}: the customer alone sets a new password, then logs in with it`, async ({ page }, testInfo) => {
    const a = byProject[testInfo.project.name as Project];
    const newPassword = `new-pass-${testInfo.project.name}-${Date.now()}`;

    await page.goto('/login');
    await waitForHydration(page);
    await page.getByRole('link', { name: 'お問い合わせ' }).click();
    await expect(page).toHaveURL(/\/contact$/);
    await expect(page.getByRole('heading', { name: 'お問い合わせ' })).toBeVisible();

    await requestPin(page, a.customerId, a.channel, a.destination);
    await expect(page.getByTestId('deadline')).toHaveText(/^\d{2}:\d{2}$/);

    const pin = await pinFromOutbox(page, a.recipient);
    await submitPin(page, pin === '000000' ? '111111' : '000000');
    await expect(page.locator('.error-box').first()).toHaveText('PINコードが正しくありません。');

    await submitPin(page, pin);
    await expect(page).toHaveURL(/\/contact\/new-password$/);
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

    // The reset never logs in by itself.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await waitForHydration(page);
    await page.locator('#email').fill(a.email);
    await page.locator('#password').fill(newPassword);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('[data-testid="customer-id"] .value')).toHaveText(a.customerId);
  });
}

test('the 6th wrong PIN is refused, even when it is the right one', async ({ page }, testInfo) => {
  const a = testInfo.project.name === 'pc'
    ? { customerId: '10000080', destination: '090-5555-0180', recipient: '+819055550180' }
    : { customerId: '10000090', destination: '080-5555-0190', recipient: '+818055550190' };
  await requestPin(page, a.customerId, 'ショートメッセージ（SMS）', a.destination);
  const pin = await pinFromOutbox(page, a.recipient);
  const wrong = pin === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    await submitPin(page, wrong);
    await expect(page.locator('.error-box').first()).toHaveText('PINコードが正しくありません。');
    await expect(page.getByRole('button', { name: '確認する' })).toBeEnabled();
  }
  await submitPin(page, wrong);
  await expect(page.locator('.error-box').first()).toContainText('入力回数が上限に達しました');
  await expect(page.getByRole('button', { name: '確認する' })).toBeEnabled();
  await submitPin(page, pin);
  await expect(page.locator('.error-box').first()).toContainText('入力回数が上限に達しました');
  await expect(page.getByRole('link', { name: 'もう一度PINコードを発行する' })).toBeVisible();
  await expect(page).toHaveURL(/\/contact\/pin\//);
});

test('an unknown お客様ID gets the same PIN page', async ({ page }) => {
  await requestPin(page, '99999999', 'メール', 'someone@example.jp');
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
