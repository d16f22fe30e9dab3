import { expect, test } from '@playwright/test';
import { login, waitForHydration } from './helpers';

/**
 * ログイン中の端末 (/account): the same customer signed in from two browsers sees both, and
 * ends the other one, which is sent to /login at its next request.
 *
 * The other browser gets a User-Agent of its own, so its row is told apart from sessions that
 * other specs open with the same login (they only sign in; none ends sessions or changes
 * these two logins). Each project has its own login, as they run at the same time.
 */
const BY_PROJECT = {
  pc: {
    email: 'ippan@example.jp',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    label: 'Firefox / Windows',
  },
  phone: {
    email: 'aoba@example.jp',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    label: 'Safari / iPhone',
  },
} as const;

test('a customer sees their sessions and ends the other one', async ({ page, browser }, testInfo) => {
  const p = BY_PROJECT[testInfo.project.name as keyof typeof BY_PROJECT];
  // The Content-Security-Policy must not block anything the pages need (hydration, styles).
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  const other = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    userAgent: p.userAgent,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  try {
    const otherPage = await other.newPage();
    await login(otherPage, p.email);
    await login(page, p.email);

    await page.goto('/account');
    await waitForHydration(page);
    const heading = page.getByRole('heading', { name: 'ログイン中の端末' });
    await expect(heading).toBeVisible();
    const rows = page.getByTestId('session');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);

    const current = page.locator('[data-testid="session"][data-current="true"]');
    await expect(current).toHaveCount(1);
    await expect(current).toContainText('この端末');
    await expect(current).toContainText('Chrome');
    await expect(current.getByRole('button')).toHaveCount(0);
    // Started / last seen in JST, Japanese format.
    await expect(current.locator('dd').first()).toHaveText(/^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$/);

    const otherRow = rows.filter({ hasText: p.label });
    await expect(otherRow).toHaveCount(1);
    await expect(otherRow).not.toContainText('この端末');
    const end = otherRow.getByRole('button', { name: 'ログアウトさせる' });
    await expect(end).toBeVisible();
    await expect(page.getByRole('button', { name: '他の端末をすべてログアウト' })).toBeVisible();

    // Phones: the row and its button fit the 390 px screen.
    const box = await otherRow.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    await heading.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('sessions.png'), fullPage: true });

    await end.click();
    await expect(otherRow).toHaveCount(0);
    await expect(current).toContainText('この端末');
    await page.screenshot({ path: testInfo.outputPath('sessions-after.png'), fullPage: true });

    // The other browser's next request goes to the login page; this one stays signed in.
    await otherPage.goto('/account');
    await expect(otherPage).toHaveURL('/login');
    await page.reload();
    await expect(page).toHaveURL('/account');
    await waitForHydration(page);
    await expect(page.locator('[data-testid="session"][data-current="true"]')).toHaveCount(1);
    expect(violations).toEqual([]);
  } finally {
    await other.close();
  }
});
