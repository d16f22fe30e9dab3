import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { isPhone, login, openMenu, shell, snap, waitForHydration } from './helpers';

/** ネットワーク page parts. */
function tree(page: Page) {
  const root = page.getByRole('tree', { name: 'ネットワーク' });
  return {
    root,
    node: (customerId: string) => page.locator(`[data-testid="tree-node"][data-code="${customerId}"]`),
    /** The node's own row (not its children's). */
    row: (customerId: string) => page.locator(`[data-testid="tree-node"][data-code="${customerId}"] > .tree-row`),
    toggle: (customerId: string) =>
      page.locator(`[data-testid="tree-node"][data-code="${customerId}"] > .tree-row [data-testid="tree-toggle"]`),
    open: (customerId: string) =>
      page.locator(`[data-testid="tree-node"][data-code="${customerId}"] > .tree-row [data-testid="tree-open"]`),
  };
}

/** Opens ネットワーク through the マスタメンテ menu (folded behind メニュー on a phone). */
async function openNetwork(page: Page, phone: boolean): Promise<void> {
  if (phone) await openMenu(page);
  await shell(page).nav.locator('#master-menu').getByRole('link', { name: 'ネットワーク' }).click();
  await expect(page).toHaveURL('/master/network');
  await expect(page.getByRole('heading', { level: 1, name: 'ネットワーク' })).toBeVisible();
  await waitForHydration(page);
}

/** Nothing on the page is wider than the viewport (a phone must not scroll sideways). */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('ネットワーク (#11.4)', () => {
  test('staff expand two levels and open a customer', async ({ page }, testInfo) => {
    await login(page, 'honbu@example.jp');
    await openNetwork(page, isPhone(testInfo));
    const t = tree(page);
    await expect(page.getByTestId('network-scope')).toContainText('ネットワーク全体');
    // The top of the network: the 全国販社 itself, with the customers below it (10 in the demo
    // data, more once other specs have registered some: the suite shares one database).
    await expect(t.node('10000001')).toHaveAttribute('aria-level', '1');
    await expect(t.node('10000001')).toHaveAttribute('aria-expanded', 'false');
    await expect(t.row('10000001')).toContainText('全国販社');
    await expect(t.row('10000001')).toContainText(/下位 (1\d|[2-9]\d|\d{3,})名/);
    const box = await t.toggle('10000001').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThanOrEqual(44);

    await t.toggle('10000001').click();
    await expect(t.node('10000001')).toHaveAttribute('aria-expanded', 'true');
    await expect(t.node('10000010')).toHaveAttribute('aria-level', '2');
    await expect(t.row('10000010')).toContainText('株式会社みどり商事');
    await expect(t.row('10000010')).toContainText('ウルトラ販社');
    await expect(t.row('10000010')).toContainText('みどり販売事業部');
    await t.toggle('10000010').click();
    await expect(t.node('10000020')).toHaveAttribute('aria-level', '3');
    await expect(t.row('10000020')).toContainText('株式会社さくら企画');
    await expectNoHorizontalOverflow(page);
    await snap(page, testInfo, 'network-staff-expanded');
    await expectAccessible(page, testInfo, 'network-staff');

    // Collapsing keeps what was loaded; the node row opens the staff customer screen.
    await t.toggle('10000010').click();
    await expect(t.node('10000020')).toBeHidden();
    await t.toggle('10000010').click();
    await expect(t.node('10000020')).toBeVisible();
    await t.open('10000020').click();
    await expect(page).toHaveURL('/staff/customers/10000020');
    await expect(page.getByTestId('detail-code')).toHaveText('10000020');
  });

  test('a 画面1 user sees only their own downline', async ({ page }, testInfo) => {
    await login(page, 'hansha@example.jp');
    await openNetwork(page, isPhone(testInfo));
    const t = tree(page);
    await expect(page.getByTestId('network-scope')).toContainText('ご自身の下位のお客様');
    // The first level is their direct children (10000040, and whoever other specs registered):
    // not themself, their upline or 10000031.
    await expect(t.node('10000040')).toHaveAttribute('aria-level', '1');
    await expect(t.node('10000030')).toHaveCount(0);
    await expect(t.node('10000031')).toHaveCount(0);
    await expect(t.node('10000020')).toHaveCount(0);
    // Down to the bottom: 10000040 → 10000050 → 10000070 → its two 一般.
    await t.toggle('10000040').click();
    await t.toggle('10000050').click();
    await t.toggle('10000070').click();
    await expect(t.node('10000080')).toHaveAttribute('aria-level', '4');
    await expect(t.node('10000090')).toBeVisible();
    // A leaf has no toggle and no aria-expanded.
    await expect(t.toggle('10000080')).toHaveCount(0);
    await expect(t.node('10000080')).not.toHaveAttribute('aria-expanded', /.*/);
    await expect(t.row('10000080')).toContainText('下位 0名');
    await expectNoHorizontalOverflow(page);
    await snap(page, testInfo, 'network-hansha-deep');
    await expectAccessible(page, testInfo, 'network-hansha');
    // 画面1 users open their downline on the read-only page.
    await t.open('10000080').click();
    await expect(page).toHaveURL('/master/customers/10000080');
    await expect(page.getByTestId('card-code')).toHaveText('10000080');
    // An upline asked for directly is "not found", like an unknown お客様ID.
    const res = await page.request.get('/api/network/children?of=10000020');
    expect(res.status()).toBe(404);
  });

  test('the keyboard moves, opens and closes nodes', async ({ page }, testInfo) => {
    await login(page, 'super@example.jp');
    await openNetwork(page, isPhone(testInfo));
    const t = tree(page);
    // super (10000020): 10000030 (with a downline) and 10000031 (none).
    await t.toggle('10000030').focus();
    await page.keyboard.press('Enter');
    await expect(t.node('10000030')).toHaveAttribute('aria-expanded', 'true');
    await expect(t.node('10000040')).toBeVisible();
    await page.keyboard.press('Space');
    await expect(t.node('10000030')).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await expect(t.node('10000030')).toHaveAttribute('aria-expanded', 'true');
    await expect(t.node('10000040')).toBeVisible();
    // → on an open node steps into its first child; ↓ to the next visible node (10000031 in
    // the demo data, or a customer another spec registered under 10000030).
    await page.keyboard.press('ArrowRight');
    await expect(t.toggle('10000040')).toBeFocused();
    const next = await page.evaluate(() => {
      const items = [...document.querySelectorAll<HTMLElement>('[role="tree"] .tree-focus')].filter(
        (e) => e.offsetParent !== null,
      );
      const i = items.indexOf(document.activeElement as HTMLElement);
      return items[i + 1]?.closest<HTMLElement>('[data-testid="tree-node"]')?.dataset.code ?? '';
    });
    expect(next).toMatch(/^100\d{5}$/);
    expect(next).not.toBe('10000040');
    await page.keyboard.press('ArrowDown');
    await expect(t.node(next).locator(':scope > .tree-row .tree-focus')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(t.toggle('10000040')).toBeFocused();
    // ← on a closed node goes up to its parent; ← again closes the parent.
    await page.keyboard.press('ArrowLeft');
    await expect(t.toggle('10000030')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(t.node('10000030')).toHaveAttribute('aria-expanded', 'false');
    await expect(t.node('10000040')).toBeHidden();
    await snap(page, testInfo, 'network-keyboard');
  });

  test('a 画面2 customer is refused', async ({ page }, testInfo) => {
    await login(page, 'aoba@example.jp');
    await page.goto('/master/network');
    await expect(page.getByTestId('refusal')).toContainText('この操作を行う権限がありません。');
    await expect(page.getByRole('tree')).toHaveCount(0);
    await expectAccessible(page, testInfo, 'network-refused');
  });
});
