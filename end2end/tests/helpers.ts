import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'atrium-demo';

export const LOGINS = {
  admin: 'admin@atrium.demo',
  manager: 'manager@atrium.demo',
  engineer: 'engineer@atrium.demo',
  reseller: 'reseller@atrium.demo',
  customer: 'customer@atrium.demo',
  cosmos: 'cosmos@atrium.demo',
} as const;

/** Signs in through the form, as a person would, and waits for the home page. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail or phone').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Hello, / })).toBeVisible();
}

/** Opens the account menu (top right) and returns it. */
export async function openAccountMenu(page: Page) {
  await page.getByLabel('Account menu').click();
}

export async function signOut(page: Page) {
  await openAccountMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
}

/** Waits until the WASM has hydrated the page (forms then submit without reloads). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true');
}

/** A new browser context (its own cookies), signed in as `login`. */
export async function asUser(browser: Browser, login: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, login);
  return page;
}

/** Opens a page and waits for it to hydrate. */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}
