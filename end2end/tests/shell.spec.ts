import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS, BAR_COLOUR, expectNearTop, isPhone, login, shell, type DemoAccount } from './helpers';

/** The signed-in frame shows the account's お客様ID near the top, in its screen's colour. */
async function expectSignedInFrame(page: Page, account: DemoAccount): Promise<void> {
  const s = shell(page);
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: 'トップ' })).toBeVisible();
  await expect(page.getByTestId('home-customer-id')).toHaveText(account.customerId);

  await expect(s.frame).toHaveAttribute('data-screen', account.screen);
  await expect(s.frame).toHaveClass(new RegExp(`(^|\\s)theme-${account.screen}(\\s|$)`));
  await expect(s.topbar).toHaveCSS('background-color', BAR_COLOUR[account.screen]);

  await expect(s.customerId).toContainText('お客様ID');
  await expect(s.customerIdValue).toHaveText(account.customerId);
  await expect(s.customerIdValue).toBeVisible();
  await expect(s.customerIdValue).toBeInViewport();
  await expectNearTop(s.customerIdValue, 120);
  if (account.name) {
    await expect(s.customerName).toHaveText(account.name);
  }
}

test.describe('signed-in frame', () => {
  test('販社 (画面1): お客様ID 10000030 in a brown bar', async ({ page }) => {
    await login(page, ACCOUNTS.hansha.email);
    await expectSignedInFrame(page, ACCOUNTS.hansha);
  });

  test('ショップ (画面2): お客様ID 10000070 in a green bar', async ({ page }) => {
    await login(page, ACCOUNTS.shop.email);
    await expectSignedInFrame(page, ACCOUNTS.shop);
  });
});

test.describe('navigation menu', () => {
  test('phone: the menu folds behind メニュー and opens on click', async ({ page }, testInfo) => {
    test.skip(!isPhone(testInfo), 'phone layout only');
    await login(page, ACCOUNTS.ippan.email);
    const s = shell(page);

    await expect(s.menuToggle).toBeVisible();
    await expect(s.menuToggle).toHaveText('メニュー');
    await expect(s.menuToggle).toHaveAttribute('aria-expanded', 'false');
    await expect(s.nav).toBeHidden();
    await expect(s.logout).toBeHidden();
    // The お客様ID stays in the bar even with the menu folded.
    await expect(s.customerIdValue).toHaveText(ACCOUNTS.ippan.customerId);
    await expect(s.customerIdValue).toBeInViewport();

    await s.menuToggle.click();
    await expect(s.menuToggle).toHaveAttribute('aria-expanded', 'true');
    await expect(s.nav).toHaveClass(/(^|\s)open(\s|$)/);
    await expect(s.nav).toBeVisible();
    await expect(s.logout).toBeVisible();
  });

  test('pc: the nav is always shown and the menu toggle hidden', async ({ page }, testInfo) => {
    test.skip(isPhone(testInfo), 'PC layout only');
    await login(page, ACCOUNTS.ippan.email);
    const s = shell(page);

    await expect(s.menuToggle).toBeHidden();
    await expect(s.nav).toBeVisible();
    await expect(s.logout).toBeVisible();
    await expect(s.customerIdValue).toHaveText(ACCOUNTS.ippan.customerId);
  });
});
