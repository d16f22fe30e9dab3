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

// Each reset changes a password and ends that customer's sessions: these logins are used by no
// other spec (the pc and phone projects run at the same time against one server). clock.spec.ts
// uses 10000020 again, by voice: this one goes by mail, so the two never read each other's PIN.
// Voice PINs are entered below (10000090) and in clock.spec.ts.
const RESETS: Record<string, Record<Project, Reset>> = {
  mail: {
    pc: { customerId: '10000040', email: 'sodairiten@example.jp', channel: 'メール', destination: 'sodairiten@example.jp', recipient: 'mail → sodairiten@example.jp' },
    phone: { customerId: '10000020', email: 'super@example.jp', channel: 'メール', destination: 'super@example.jp', recipient: 'mail → super@example.jp' },
  },
};

// Resets that also change the login e-mail (#10.5): customers no other spec logs in with.
const EMAIL_RESETS: Record<Project, { customerId: string; masked: string; phone: string; recipient: string }> = {
  pc: { customerId: '10000050', masked: 'd***@example.jp', phone: '090-5555-0150', recipient: 'sms → +819055550150' },
  phone: { customerId: '10000060', masked: 't***@example.jp', phone: '080-5555-0160', recipient: 'sms → +818055550160' },
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
    await expect(page.getByTestId('masked-email')).toHaveText(`${a.email[0]}***@example.jp`);
    await page.locator('#password').fill('short');
    await page.locator('#confirm').fill('short');
    await page.getByRole('button', { name: '再設定する' }).click();
    await expect(page.locator('.error-box')).toContainText('10文字以上');
    await page.locator('#password').fill(newPassword);
    await page.locator('#confirm').fill(newPassword);
    await page.getByRole('button', { name: '再設定する' }).click();
    await expect(page).toHaveURL(/\/contact\/done$/);
    await expect(page.getByTestId('email-link-sent')).toHaveCount(0);
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
    : { customerId: '10000090', destination: '080-5555-0190', recipient: 'sms → +818055550190' };
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

test('a PIN sent by mail shows 送信しました once the queue has handed it over', async ({ page }, testInfo) => {
  // Only a PIN is requested (no reset): these logins stay as they are for the other specs.
  const a = testInfo.project.name === 'pc'
    ? { customerId: '10000030', email: 'hansha@example.jp' }
    : { customerId: '10000031', email: 'aoba@example.jp' };
  await requestPin(page, a.customerId, 'メール', a.email);
  // The e2e server runs the queue every second; the page polls every 2 s while sending.
  await expect(page.getByTestId('delivery')).toHaveText('送信しました。届くまでしばらくお待ちください。', { timeout: 8_000 });
  await expect(page.locator('.pin-status')).toHaveAttribute('data-delivery', 'Sent');
  await page.screenshot({ path: testInfo.outputPath('pin-sent.png'), fullPage: true });
});

test('reset by SMS: the masked login e-mail is shown, a new one is confirmed by link and becomes the login', async ({ page }, testInfo) => {
  const a = EMAIL_RESETS[testInfo.project.name as Project];
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const newEmail = `reset-${stamp}@example.jp`;
  const newPassword = `new-pass-${stamp}`;

  await requestPin(page, a.customerId, 'ショートメッセージ（SMS）', a.phone);
  // Nothing of the address before the PIN.
  await expect(page.locator('body')).not.toContainText('***@');
  await submitPin(page, await pinFromOutbox(page, a.recipient));
  await expect(page).toHaveURL(/\/contact\/new-password$/);
  await waitForHydration(page);
  await expect(page.getByTestId('masked-email')).toHaveText(a.masked);
  await page.locator('#password').fill(newPassword);
  await page.locator('#confirm').fill(newPassword);
  await page.locator('#new_email').fill('not-an-address');
  await page.getByRole('button', { name: '再設定する' }).click();
  await expect(page.locator('.error-box')).toContainText('メールアドレスの形式が正しくありません');
  await page.locator('#new_email').fill(newEmail);
  await page.screenshot({ path: testInfo.outputPath('reset-form.png'), fullPage: true });
  await page.getByRole('button', { name: '再設定する' }).click();
  await expect(page).toHaveURL(/\/contact\/done\?email=1$/);
  await expect(page.getByTestId('email-link-sent')).toContainText('確認用のリンクをお送りしました');
  await page.screenshot({ path: testInfo.outputPath('reset-done.png'), fullPage: true });

  // The link, as the customer finds it in the new mailbox.
  let link = '';
  await expect(async () => {
    await page.goto('/dev/outbox');
    const item = page.locator('.outbox-item').filter({ hasText: `mail → ${newEmail}` }).first();
    await expect(item).toBeVisible({ timeout: 1000 });
    link = (await item.locator('pre').innerText()).match(/\/verify\/[0-9a-f]{64}/)?.[0] ?? '';
    expect(link).not.toBe('');
  }).toPass({ timeout: 15_000 });
  await page.goto(link);
  await waitForHydration(page);
  await expect(page.getByText(newEmail)).toBeVisible();
  await page.getByRole('button', { name: '変更を確定する' }).click();
  await expect(page.getByRole('status')).toContainText('ログイン用メールアドレスを変更しました');
  await page.screenshot({ path: testInfo.outputPath('email-confirmed.png'), fullPage: true });

  await page.goto('/login');
  await waitForHydration(page);
  await page.locator('#email').fill(newEmail);
  await page.locator('#password').fill(newPassword);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('[data-testid="customer-id"] .value')).toHaveText(a.customerId);
});

test('after a right PIN, a customer without a login is told to ask the upline', async ({ page }, testInfo) => {
  // 10000090 has no login. The pc project calls (voice), the phone project texts (SMS), so each
  // finds its own PIN in the outbox by channel.
  const pc = testInfo.project.name === 'pc';
  const channel = pc ? '自動音声（電話）' : 'ショートメッセージ（SMS）';
  await requestPin(page, '10000090', channel, '080-5555-0190');
  await submitPin(page, await pinFromOutbox(page, `${pc ? 'voice' : 'sms'} → +818055550190`));
  await expect(page).toHaveURL(/\/contact\/new-password$/);
  await expect(page.locator('.error-box')).toHaveText('ログイン情報（メールアドレス）が未登録です。上位店にログイン情報の登録を依頼してください。');
  await expect(page.locator('#password')).toHaveCount(0);
  await expect(page.getByTestId('masked-email')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('no-login.png'), fullPage: true });
});
