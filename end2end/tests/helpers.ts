import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Password shared by every demo login. */
export const DEMO_PASSWORD = 'daiko-demo-2026';

/** The one message shown for a wrong password and for an unknown address alike. */
export const INVALID_CREDENTIALS = 'メールアドレスまたはパスワードが正しくありません。';

/** Computed top-bar colours: 画面1 brown (#6d4c2f), 画面2 green (#2e7d32). */
export const BAR_COLOUR = {
  screen1: 'rgb(109, 76, 47)',
  screen2: 'rgb(46, 125, 50)',
} as const;

export type Screen = keyof typeof BAR_COLOUR;

export interface DemoAccount {
  email: string;
  customerId: string;
  name?: string;
  screen: Screen;
}

/**
 * Demo logins. Tests run in parallel in two projects against one server, so each test that
 * changes session state (logout) uses its own account.
 */
export const ACCOUNTS = {
  honbu: { email: 'honbu@example.jp', customerId: '10000001', screen: 'screen1' },
  hansha: { email: 'hansha@example.jp', customerId: '10000030', name: '有限会社やまだ販社', screen: 'screen1' },
  ultra: { email: 'ultra@example.jp', customerId: '10000010', screen: 'screen1' },
  shop: { email: 'shop@example.jp', customerId: '10000070', name: 'ショップこばやし', screen: 'screen2' },
  dairiten: { email: 'dairiten@example.jp', customerId: '10000050', screen: 'screen2' },
  aoba: { email: 'aoba@example.jp', customerId: '10000031', screen: 'screen2' },
  ippan: { email: 'ippan@example.jp', customerId: '10000080', screen: 'screen2' },
} as const satisfies Record<string, DemoAccount>;

/** An address no account has; unique per call so failed-login counts never accumulate. */
export function unknownEmail(): string {
  return `nobody-${randomUUID()}@example.jp`;
}

/** A password that is valid in shape but never the right one. */
export function wrongPassword(): string {
  return `wrong-${randomUUID()}`;
}

export function isPhone(testInfo: TestInfo): boolean {
  return testInfo.project.name === 'phone';
}

/**
 * Waits until the WASM has taken over (the app sets `data-hydrated="true"` on `<body>`).
 * Before that, forms do full-page posts and client-side handlers do nothing.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

/** Login form controls. */
export function loginForm(page: Page) {
  return {
    email: page.locator('#email'),
    password: page.locator('#password'),
    showPassword: page.locator('label.checkbox').filter({ hasText: 'パスワードを表示する' }).getByRole('checkbox'),
    submit: page.getByRole('button', { name: 'ログイン', exact: true }),
    error: page.locator('.error-box[role="alert"]'),
  };
}

/** Opens /login and waits for hydration. */
export async function gotoLogin(page: Page): Promise<void> {
  await page.goto('/login');
  await waitForHydration(page);
}

/** Fills in and submits the login form (already open and hydrated); asserts nothing. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  const form = loginForm(page);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
}

/** Logs in from a fresh /login page and waits until the top page is hydrated. */
export async function login(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await gotoLogin(page);
  await submitLogin(page, email, password);
  await expect(page).toHaveURL('/');
  await waitForHydration(page);
}

/** Top-bar parts of the signed-in frame. */
export function shell(page: Page) {
  const nav = page.locator('nav#main-nav');
  return {
    frame: page.locator('div.frame'),
    topbar: page.locator('header.topbar'),
    customerId: page.getByTestId('customer-id'),
    customerIdValue: page.getByTestId('customer-id').locator('.value'),
    customerName: page.getByTestId('customer-name'),
    menuToggle: page.locator('button.menu-toggle'),
    nav,
    logout: nav.getByRole('button', { name: 'ログアウト' }),
  };
}

/** On a phone, opens the folded menu and checks it reports itself as open. */
export async function openMenu(page: Page): Promise<void> {
  const { menuToggle, nav } = shell(page);
  await expect(menuToggle).toBeVisible();
  await menuToggle.click();
  await expect(menuToggle).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toHaveClass(/(^|\s)open(\s|$)/);
}

/** Asserts the element's top edge lies within the first `maxY` CSS pixels of the page. */
export async function expectNearTop(locator: Locator, maxY: number): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, 'element has a layout box').not.toBeNull();
  expect(box!.y).toBeLessThan(maxY);
}

/** Outbox messages already read by this Playwright worker. */
const seenOutboxIds = new Set<number>();

/**
 * The PIN of the newest message to `recipient` in the development outbox (the server runs
 * with DAIKO_DEV_OUTBOX=1): mail and SMS quote it in 「」; the voice call's TwiML reads it
 * digit by digit. Retries while the queue worker delivers.
 */
export async function pinFromOutbox(page: Page, recipient: string): Promise<string> {
  const outbox = await page.context().newPage();
  try {
    let body = '';
    await expect(async () => {
      await outbox.goto('/dev/outbox');
      const item = outbox.locator('.outbox-item').filter({ hasText: recipient }).first();
      await expect(item).toBeVisible({ timeout: 1000 });
      // The outbox lists messages once the worker has handed them over: wait for one this
      // worker has not read yet (the message of the request just made, not an older one).
      const id = Number((await item.locator('h2').innerText()).match(/^#(\d+)/)?.[1]);
      expect(seenOutboxIds.has(id), `message #${id} was read before`).toBe(false);
      body = await item.locator('pre').innerText();
      seenOutboxIds.add(id);
    }).toPass({ timeout: 15_000 });
    const quoted = body.match(/「(\d{6})」/);
    if (quoted) return quoted[1];
    const spoken = (body.split('PINコードは')[1] ?? '').split('です')[0].replace(/<[^>]*>/g, '').replace(/\D/g, '');
    expect(spoken, body).toMatch(/^\d{6}$/);
    return spoken;
  } finally {
    await outbox.close();
  }
}

/** Fills in お問い合わせ and lands on the PIN page (hydrated). */
export async function requestPin(page: Page, customerId: string, channel: string, destination: string): Promise<void> {
  await page.goto('/contact');
  await waitForHydration(page);
  await page.locator('#customer_code').fill(customerId);
  await page.getByLabel(channel, { exact: true }).check();
  await page.locator('#destination').fill(destination);
  await page.getByRole('button', { name: 'PINコードを送信' }).click();
  await expect(page).toHaveURL(/\/contact\/pin\/[0-9a-f]{64}$/);
  await waitForHydration(page);
}

/**
 * Saves a screenshot of the page as a test artefact (test-results/…/NAME.png, attached to the
 * report), so a layout check can be looked at as well as asserted.
 */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: false });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
