import { expect, test } from '@playwright/test';
import { LOGINS, openAccountMenu, signIn } from './helpers';

const STAFF = ['Customers', 'Tickets', 'Messages', 'Equipment', 'Orders', 'Invoices', 'Analytics', 'Settings'];
const expected: Record<string, string[]> = {
  admin: STAFF,
  manager: STAFF.filter((item) => item !== 'Settings'),
  engineer: ['Tickets', 'Messages', 'Equipment'],
  reseller: ['Customers', 'Tickets', 'Messages', 'Equipment', 'Orders', 'Invoices'],
  customer: ['Tickets', 'Messages', 'Equipment', 'Analytics'],
};

for (const [role, items] of Object.entries(expected)) {
  test(`${role} sees their navigation`, async ({ page, isMobile }) => {
    await signIn(page, LOGINS[role as keyof typeof LOGINS]);
    if (isMobile) await openAccountMenu(page);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await expect(nav.getByRole('link')).toHaveText(items);
    // Every item opens its page, with breadcrumbs back home.
    await nav.getByRole('link', { name: items[0] }).click();
    await expect(page.getByRole('heading', { level: 1, name: items[0] })).toBeVisible();
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
    await expect(crumbs.getByRole('link', { name: 'Home' })).toBeVisible();
  });
}

test('a customer sees only their companies’ tickets', async ({ page }) => {
  await signIn(page, LOGINS.customer);
  await page.goto('/tickets');
  await expect(page.getByRole('cell', { name: 'Acme Manufacturing' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Borealis Hotels' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Cosmos Clinics' })).toHaveCount(0);
});

test('a customer who opens a staff URL or calls a staff function is refused', async ({ page }) => {
  await signIn(page, LOGINS.customer);
  for (const path of ['/customers', '/settings/outbox', '/orders']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  }
  // The same session calling the server functions directly.
  for (const endpoint of ['list_outbox', 'list_companies']) {
    const reply = await page.request.post(`/api/${endpoint}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      data: '',
    });
    expect(reply.status()).toBe(403);
    expect(await reply.text()).not.toContain('atrium.demo');
  }
});

test('the interface switches to Russian and stays so', async ({ page }) => {
  await signIn(page, LOGINS.engineer);
  await openAccountMenu(page);
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Здравствуйте, Egor Engineer' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.goto('/tickets');
  await expect(page.getByRole('heading', { level: 1, name: 'Заявки' })).toBeVisible();
  // Back to English for the other tests.
  await page.getByLabel('Меню учётной записи').click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();
});

test('unknown addresses show the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('no page is wider than the screen', async ({ page, isMobile }) => {
  test.skip(!isMobile, 'the phone layout');
  await signIn(page, LOGINS.admin);
  for (const path of ['/', '/customers', '/tickets', '/profile', '/settings', '/settings/outbox', '/settings/catalog', '/messages']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.goto('/customers');
  await page.getByRole('link', { name: 'Acme Manufacturing', exact: true }).click();
  for (const tab of ['General', 'Address', 'Users', 'History']) {
    await page.getByRole('link', { name: tab, exact: true }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, tab).toBeLessThanOrEqual(0);
  }
});
