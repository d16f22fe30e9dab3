import { randomInt, randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS, isPhone, login, openMenu, shell, waitForHydration } from './helpers';

const HIRAGANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ';

/** A phone number, e-mail and kana no one has, so no duplicate question comes up and the
 * search finds exactly this customer. The kana is typed in hiragana. */
function fresh() {
  const n = String(randomInt(0, 10_000_000)).padStart(7, '0');
  const kana = Array.from({ length: 6 }, () => HIRAGANA[randomInt(0, HIRAGANA.length)]).join('');
  return {
    phone: `070-8${n.slice(0, 3)}-${n.slice(3)}`,
    email: `e2e-${randomUUID()}@example.jp`,
    kana,
  };
}

async function openFromMenu(page: Page, name: string, testInfo: Parameters<typeof isPhone>[0]) {
  if (isPhone(testInfo)) await openMenu(page);
  await shell(page).nav.getByRole('link', { name }).click();
  await waitForHydration(page);
}

test('販社 (会員登録あり) registers a ショップ into a downline customer\'s division', async ({ page }, testInfo) => {
  await login(page, ACCOUNTS.hansha.email);
  await openFromMenu(page, '販売事業部新規顧客登録', testInfo);
  await expect(page).toHaveURL('/master/agency/register');
  const crumbs = page.getByRole('navigation', { name: 'パンくずリスト' });
  await expect(crumbs).toHaveText(/マスタメンテ.*代理店.*販売事業部新規顧客登録/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('販売事業部新規顧客登録');

  // Own division first, then the one owned by 10000040 (in 10000030's downline).
  const division = page.locator('#reg_division');
  await expect(division.locator('option')).toHaveText([
    'やまだ販売事業部（ご自身）',
    'ひまわり販売事業部（10000040 株式会社ひまわり総代理店）',
  ]);
  await division.selectOption({ label: 'ひまわり販売事業部（10000040 株式会社ひまわり総代理店）' });
  await expect(page.locator('#reg_rank option')).toHaveText([
    '選択してください',
    '総代理店',
    '代理店',
    '販売事業部一般会員待機',
    'ショップ',
    '一般',
  ]);
  await page.locator('#reg_rank').selectOption({ label: 'ショップ' });

  const { phone, email, kana } = fresh();
  await page.locator('#reg_name').fill('ショップみなみ');
  await page.locator('#reg_kana').fill(`しょっぷ ${kana}`);
  await page.locator('#reg_phone').fill(phone);
  await page.locator('#reg_email').fill(email);
  await page.locator('#reg_postal').fill('8120011');
  await page.locator('#reg_address').fill('福岡県福岡市博多区博多駅前1-1');

  // A bad 郵便番号 first: a Japanese message, nothing registered.
  await page.locator('#reg_postal').fill('812-001');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.locator('#postal_code-error')).toContainText('郵便番号');
  await expect(page.locator('#reg_postal')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('new-customer-id')).toHaveCount(0);

  await page.locator('#reg_postal').fill('8120011');
  await page.getByRole('button', { name: '登録する' }).click();
  const id = page.getByTestId('new-customer-id');
  await expect(id).toHaveText(/^\d{8}$/);
  const code = (await id.textContent())!.trim();
  expect(Number(code)).toBeGreaterThan(10000090);

  // 顧客検索 finds it by the kana typed in hiragana and by the phone typed with hyphens.
  for (const q of [kana, phone]) {
    await page.goto('/master/customers');
    await waitForHydration(page);
    await page.locator('#customer-search-q').fill(q);
    await page.getByRole('button', { name: '検索', exact: true }).click();
    const hits = page.getByTestId('customer-hit');
    await expect(hits).toHaveCount(1);
    await expect(hits.first()).toContainText(code);
  }

  // The R1 mail went to the new customer, carrying the new お客様ID and a link.
  await expect(async () => {
    await page.goto('/dev/outbox');
    const item = page.locator('.outbox-item').filter({ hasText: email }).first();
    await expect(item).toBeVisible({ timeout: 1000 });
    await expect(item.locator('pre')).toContainText(code);
    await expect(item.locator('pre')).toContainText('/verify/');
  }).toPass({ timeout: 15_000 });
});

test('a 販社 without 会員登録 is told the screen is not theirs', async ({ page }) => {
  await login(page, ACCOUNTS.aoba.email);
  await page.goto('/master/agency/register');
  await waitForHydration(page);
  await expect(page.getByTestId('refusal')).toContainText('この操作を行う権限がありません。');
  await expect(page.getByTestId('refusal')).toContainText('会員登録あり');
  await expect(page.locator('#reg_division')).toHaveCount(0);
  await expect(page.locator('main form')).toHaveCount(0);
});

test('全国販社 opens a customer by お客様ID and starts a reset with it filled in', async ({ page }, testInfo) => {
  await login(page, 'honbu@example.jp');
  await openFromMenu(page, 'お客様の登録・変更（全国販社）', testInfo);
  await expect(page).toHaveURL('/staff/customers/new');
  await page.locator('#find_code').fill('10000050');
  await page.getByRole('button', { name: '開く' }).click();
  await expect(page).toHaveURL('/staff/customers/10000050');
  await expect(page.getByTestId('detail-code')).toHaveText('10000050');
  await expect(page.getByTestId('detail-upline')).toHaveText('10000040 株式会社ひまわり総代理店');
  // Staff never see the login e-mail.
  await expect(page.getByTestId('customer-detail')).not.toContainText('@');
  await page.getByTestId('start-reset').click();
  await expect(page).toHaveURL('/staff/reset?code=10000050');
  await expect(page.locator('#customer_code')).toHaveValue('10000050');
});
