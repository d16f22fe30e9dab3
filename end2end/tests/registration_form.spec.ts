import { randomInt, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ACCOUNTS, login, snap, waitForHydration } from './helpers';

// Issue #10 item 7 (the registration form) and item 14 (a used verification link).

test('registration: no preselected rank, every field error at once, focus on the first, cleared after success', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.hansha.email);
  await page.goto('/master/agency/register');
  await waitForHydration(page);
  const rank = page.locator('#reg_rank');
  await expect(rank).toHaveValue('');

  await page.getByRole('button', { name: '登録する' }).click();
  const expected: Record<string, string> = {
    '#reg_rank': 'ランクを選んでください。',
    '#reg_name': '代理店名を入力してください。',
    '#reg_kana': 'カナを入力してください。',
    '#reg_phone': '電話番号を入力してください。',
    '#reg_email': 'メールアドレスを入力してください。',
    '#reg_postal': '郵便番号を入力してください。',
    '#reg_address': '住所を入力してください。',
  };
  for (const [field, message] of Object.entries(expected)) {
    const input = page.locator(field);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    const describedBy = (await input.getAttribute('aria-describedby'))!.split(' ')[0];
    await expect(page.locator(`#${describedBy}`)).toHaveText(message);
  }
  await expect(page.locator('.field-error')).toHaveCount(7);
  await expect(rank).toBeFocused();
  await expect(page.getByTestId('new-customer-id')).toHaveCount(0);
  await snap(page, testInfo, 'registration-all-errors');

  // Fixing some fields leaves only the others marked.
  const n = String(randomInt(0, 10_000_000)).padStart(7, '0');
  const email = `e2e-form-${randomUUID()}@example.jp`;
  await rank.selectOption({ label: '一般' });
  await page.locator('#reg_name').fill('フォーム確認商店');
  await page.locator('#reg_kana').fill('山田');
  await page.locator('#reg_phone').fill(`070-7${n.slice(0, 3)}-${n.slice(3)}`);
  await page.locator('#reg_email').fill(email);
  await page.locator('#reg_postal').fill('8120011');
  await page.locator('#reg_address').fill('福岡県福岡市博多区博多駅前2-2');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.locator('.field-error')).toHaveCount(1);
  await expect(page.locator('#kana-error')).toContainText('カタカナ');
  await expect(page.locator('#reg_kana')).toBeFocused();
  await expect(page.locator('#reg_name')).not.toHaveAttribute('aria-invalid', 'true');

  await page.locator('#reg_kana').fill('ふぉーむかくにん');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('new-customer-id')).toHaveText(/^\d{8}$/);
  // Ready for the next customer: every field empty, the rank unchosen again.
  for (const field of ['#reg_name', '#reg_kana', '#reg_phone', '#reg_email', '#reg_postal', '#reg_address']) {
    await expect(page.locator(field)).toHaveValue('');
  }
  await expect(rank).toHaveValue('');
  await expect(page.locator('.field-error')).toHaveCount(0);
  await snap(page, testInfo, 'registration-done-and-cleared');

  // The new customer's link works once; opened again it says it was used, not expired.
  let link = '';
  await expect(async () => {
    await page.goto('/dev/outbox');
    const body = await page.locator('.outbox-item').filter({ hasText: email }).first().locator('pre').innerText({ timeout: 1000 });
    link = body.match(/\/verify\/[0-9a-f]{64}/)![0];
  }).toPass({ timeout: 15_000 });
  await page.goto(link);
  await waitForHydration(page);
  await page.locator('#password').fill('form-check-password-1');
  await page.locator('#confirm').fill('form-check-password-1');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByRole('status')).toHaveText('ログイン情報を登録しました。');
  await page.goto(link);
  await waitForHydration(page);
  await expect(page.locator('.error-box')).toHaveText('このリンクはすでに使用されています。手続きは完了しています。');
  await expect(page.locator('main')).not.toContainText('有効期限');
  await snap(page, testInfo, 'verify-link-used');
});

test('forbidden pages show only the refusal, never the form', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.shop.email);
  for (const path of [
    '/master/customers',
    '/master/customers/10000080',
    '/master/agency/register',
    '/staff/products',
    '/staff/rebate-rates',
    '/staff/customers/new',
    '/staff/customers/10000080',
    '/staff/reset',
    '/staff/logins',
    '/staff/audit',
  ]) {
    await page.goto(path);
    await waitForHydration(page);
    const main = page.locator('main');
    await expect(main.getByTestId('refusal'), path).toContainText('この操作を行う権限がありません。');
    await expect(main.locator('form, input, select, textarea, table'), path).toHaveCount(0);
  }
  await snap(page, testInfo, 'refusal');
});
