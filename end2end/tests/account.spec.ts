import { expect, test, type Browser } from '@playwright/test';
import { hydrated, LOGINS, signIn } from './helpers';

/** The newest reset link sent to `recipient`, read by an admin in the outbox. */
async function resetLinkFromOutbox(browser: Browser, recipient: string): Promise<string> {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, LOGINS.admin);
  await admin.goto('/settings/outbox');
  const row = admin.getByRole('row').filter({ hasText: recipient }).first();
  const link = row.getByRole('link', { name: /reset-password\?token=/ });
  const href = await link.getAttribute('href');
  await context.close();
  expect(href).toBeTruthy();
  return href as string;
}

test('forgot password → outbox → new password → the old session is gone', async ({ browser, page }, testInfo) => {
  // It changes a demo account's password: once is enough.
  test.skip(testInfo.project.name !== 'desktop', 'runs on the desktop project only');

  // A session that the reset must end.
  const oldContext = await browser.newContext();
  const oldPage = await oldContext.newPage();
  await signIn(oldPage, LOGINS.cosmos);

  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await hydrated(page);
  await page.getByLabel('E-mail or phone').fill(LOGINS.cosmos);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account with this e-mail or phone exists');

  const link = await resetLinkFromOutbox(browser, LOGINS.cosmos);
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the new password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#f-new_password-error')).toHaveText('Use at least 8 characters.');

  await page.getByLabel('New password', { exact: true }).fill('a new cosmos secret');
  await page.getByLabel('Repeat the new password').fill('a new cosmos secret');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password has been changed. Sign in with the new one.')).toBeVisible();

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('This link is not valid any more');

  await signIn(page, LOGINS.cosmos, 'a new cosmos secret');
  await oldPage.reload();
  await expect(oldPage).toHaveURL(/\/sign-in/);
  await oldContext.close();
});

test('profile: bad input is refused at the field and nothing is stored', async ({ page }) => {
  await signIn(page, LOGINS.reseller);
  await page.goto('/profile');
  await hydrated(page);
  const name = page.getByLabel('Full name');
  const email = page.getByLabel('E-mail', { exact: true });
  await name.fill('я'.repeat(10 * 1024));
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#f-full_name-error')).toHaveText('Use at most 120 characters.');
  await expect(page.locator('#f-email-error')).toHaveText('Enter an e-mail address like name@example.com.');
  await expect(email).toHaveValue('not-an-email');

  await page.reload();
  await expect(page.getByLabel('Full name')).toHaveValue('Rita Reseller');
  await expect(page.getByLabel('E-mail', { exact: true })).toHaveValue(LOGINS.reseller);

  // Unicode, HTML and SQL metacharacters are kept exactly and shown as text.
  await hydrated(page);
  await page.getByLabel('Full name').fill("Рита <b>O'Reseller</b>; --");
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Full name')).toHaveValue("Рита <b>O'Reseller</b>; --");
  await hydrated(page);
  await page.getByLabel('Full name').fill('Rita Reseller');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
});

test('profile: a wrong current password does not change the password', async ({ page }) => {
  await signIn(page, LOGINS.manager);
  await page.goto('/profile');
  await hydrated(page);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('another secret 1');
  await page.getByLabel('Repeat the new password').fill('another secret 1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#f-current_password-error')).toHaveText('The current password is not correct.');
});
