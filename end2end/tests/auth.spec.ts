import { expect, test } from '@playwright/test';
import {
  ACCOUNTS,
  INVALID_CREDENTIALS,
  gotoLogin,
  isPhone,
  login,
  loginForm,
  openMenu,
  shell,
  submitLogin,
  unknownEmail,
  wrongPassword,
} from './helpers';

test.describe('login failures', () => {
  // Each run costs aoba@example.jp one failed attempt per project (limit: 100 an hour).
  test('wrong password and unknown address show the same message', async ({ page }) => {
    const form = loginForm(page);

    await gotoLogin(page);
    await submitLogin(page, ACCOUNTS.aoba.email, wrongPassword());
    await expect(form.error).toHaveText(INVALID_CREDENTIALS);
    await expect(page).toHaveURL('/login');
    const wrongPasswordMessage = (await form.error.textContent())?.trim();

    // A fresh page, so the message below cannot be the one left from the first attempt.
    await gotoLogin(page);
    await expect(form.error).toHaveCount(0);
    await submitLogin(page, unknownEmail(), wrongPassword());
    await expect(form.error).toHaveText(INVALID_CREDENTIALS);
    await expect(page).toHaveURL('/login');
    expect((await form.error.textContent())?.trim()).toBe(wrongPasswordMessage);
  });

  test('empty e-mail is refused', async ({ page }) => {
    const form = loginForm(page);
    await gotoLogin(page);
    await form.submit.click();
    await expect(form.error).toHaveText('メールアドレスを入力してください。');
    await expect(page).toHaveURL('/login');
  });

  test('a 10 KB e-mail is refused without navigating', async ({ page }) => {
    const form = loginForm(page);
    const domain = '@example.jp';
    const huge = 'a'.repeat(10 * 1024 - domain.length) + domain;

    await gotoLogin(page);
    // The field's maxlength would cut the value down in the browser; drop it so the
    // server's own limit is what gets exercised, as with a hand-made request.
    await form.email.evaluate((el) => el.removeAttribute('maxlength'));
    await form.email.fill(huge);
    await expect(form.email).toHaveValue(huge);
    await form.password.fill(wrongPassword());
    await form.submit.click();

    await expect(form.error).toContainText('メールアドレス');
    await expect(page).toHaveURL('/login');
  });

  test('a malformed e-mail gets the format message', async ({ page }) => {
    const form = loginForm(page);
    await gotoLogin(page);
    await submitLogin(page, 'not-an-address', wrongPassword());
    await expect(form.error).toContainText('メールアドレスの形式が正しくありません');
    await expect(page).toHaveURL('/login');
  });
});

test('パスワードを表示する toggles the password field once hydrated', async ({ page }) => {
  const form = loginForm(page);
  await gotoLogin(page);
  await expect(form.password).toHaveAttribute('type', 'password');

  await form.showPassword.check();
  await expect(form.password).toHaveAttribute('type', 'text');

  await form.showPassword.uncheck();
  await expect(form.password).toHaveAttribute('type', 'password');
});

test('logout ends the session', async ({ page }, testInfo) => {
  // Logout ends this session only; recovery.spec resets dairiten, so another login is used.
  await login(page, ACCOUNTS.shop.email);
  if (isPhone(testInfo)) {
    await openMenu(page);
  }
  await shell(page).logout.click();
  await expect(page).toHaveURL('/login');

  await page.goto('/');
  await expect(page).toHaveURL('/login');
  await expect(loginForm(page).email).toBeVisible();
});

test('the top page needs a login', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL('/login');
  await expect(loginForm(page).email).toBeVisible();
});
