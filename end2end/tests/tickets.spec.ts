import { expect, test, type Browser, type Page } from '@playwright/test';
import { asUser, LOGINS, open, signIn } from './helpers';

// A real 1 × 1 PNG: the server decodes it to make the thumbnail.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function as(browser: Browser, login: string): Promise<Page> {
  return asUser(browser, login);
}

async function step(page: Page, url: string, button: string, stage: string) {
  await open(page, url);
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.locator('.page-lead .badge').first()).toHaveText(stage);
}

test('a ticket from filing to the archive: a photo, field errors, every stage, the tabs and a stale form', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only');
  test.setTimeout(120_000);
  const customer = await as(browser, LOGINS.customer);
  await open(customer, '/tickets/new');

  // Errors at the fields, nothing lost.
  await customer.locator('#f-company').selectOption({ index: 1 });
  await customer.locator('#f-description').fill('Water drips from the indoor unit onto the server rack.');
  await customer.getByRole('button', { name: 'File the ticket' }).click();
  await expect(customer.locator('.field--invalid #f-subject')).toBeVisible();
  await expect(customer.locator('#f-description')).toHaveValue(/Water drips/);

  // A wrong-type file is refused at once; a photo gets its thumbnail.
  await customer.locator('#f-files').setInputFiles({ name: 'notes.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await expect(customer.locator('.upload--refused')).toContainText('not accepted');
  await customer.locator('#f-files').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: PHOTO });
  await expect(customer.locator('.upload__thumb')).toBeVisible();

  await customer.locator('#f-subject').fill('Air conditioner leaks in the server room');
  await customer.getByRole('button', { name: 'File the ticket' }).click();
  await expect(customer).toHaveURL(/\/tickets\/\d+\?filed=1$/);
  const url = new URL(customer.url()).pathname;
  await expect(customer.getByText('The ticket is filed.')).toBeVisible();
  await expect(customer.locator('.attachment__thumb')).toBeVisible();
  await expect(customer.locator('.page-lead .badge').first()).toHaveText('New');

  // The manager assigns the engineer; a second manager tab still holds the old form.
  const manager = await as(browser, LOGINS.manager);
  const stale = await as(browser, LOGINS.manager);
  await open(stale, url);
  await open(manager, url);
  await manager.getByText('Assign performers').click();
  await manager.getByLabel('Egor Engineer').check();
  await manager.locator('details.assign').getByRole('button', { name: 'Save' }).click();
  await expect(manager.locator('.ticket__side')).toContainText('Egor Engineer');
  await stale.getByRole('button', { name: 'Start work', exact: true }).click();
  await expect(stale.getByText('Someone else changed this ticket')).toBeVisible();
  await expect(stale.locator('.page-lead .badge').first()).toHaveText('New');

  // The engineer sends it for approval; it shows under the customer's Approval tab.
  const engineer = await as(browser, LOGINS.engineer);
  await step(engineer, url, 'Send for approval', 'Approval');
  await open(customer, '/tickets?tab=approval');
  await expect(customer.getByRole('link', { name: 'Air conditioner leaks in the server room' })).toBeVisible();

  await step(customer, url, 'Approve', 'In work');
  await step(engineer, url, 'Work completed', 'Work completed');
  // Returning needs a comment.
  await open(customer, url);
  await customer.getByRole('button', { name: 'Return to work' }).click();
  await expect(customer.locator('#f-comment-error')).toBeVisible();
  await step(customer, url, 'Confirm completion', 'Done');
  await step(manager, url, 'Close', 'Closed');

  // Closed tickets leave All for Archive; the history tells the whole story.
  await open(customer, '/tickets?tab=archive');
  await expect(customer.getByRole('link', { name: 'Air conditioner leaks in the server room' })).toBeVisible();
  await open(customer, '/tickets?tab=all&q=server+room');
  await expect(customer.getByText('Nothing matches these filters')).toBeVisible();
  await open(customer, url);
  await expect(customer.locator('.timeline__item')).toHaveCount(6);

  // The customer heard about it: the bell counts what is new.
  await open(customer, '/notifications');
  await expect(customer.getByText('now “Closed”').first()).toBeVisible();
});

test('tickets list: tabs, search and the overdue mark', async ({ page }) => {
  await signIn(page, LOGINS.manager);
  await open(page, '/tickets');
  await expect(page.getByRole('link', { name: 'All', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.getByLabel('Search').fill('lift');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=lift/);
  await expect(page.locator('tbody tr').first()).toContainText(/Lift/i);
  // The demo's urgent tickets are long overdue.
  await open(page, '/tickets?overdue=1');
  await expect(page.locator('.badge--danger', { hasText: 'Overdue' }).first()).toBeVisible();
  // Nothing overflows a phone's width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
