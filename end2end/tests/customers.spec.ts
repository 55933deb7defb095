import { expect, test, type Page } from '@playwright/test';
import { hydrated, LOGINS, signIn } from './helpers';

async function fillAccount(page: Page, name: string, taxId: string, email: string) {
  await page.getByLabel('Legal name').fill(name);
  await page.getByLabel('Tax ID').fill(taxId);
  await page.getByLabel('Phone', { exact: true }).first().fill('+7 843 000-00-00');
  await page.getByLabel('E-mail', { exact: true }).first().fill(email);
  await page.getByLabel('First name').fill('Айгуль');
  await page.getByLabel('Last name').fill('Хасанова');
  await page.getByLabel('E-mail', { exact: true }).nth(1).fill('aigul@example.test');
  await page.getByLabel('City').fill('Казань');
  await page.getByLabel('Street and building').fill('Баумана, 1');
  await page.getByLabel('Postal code').fill('420111');
}

/** From step 1 to the review: agreement accepted, reseller and subscriptions as they are. */
async function toReview(page: Page) {
  await next(page, 2);
  await page.getByLabel('The customer has accepted the service agreement').check();
  await page.getByLabel('Date of acceptance').fill('2026-11-21');
  await next(page, 3);
  await next(page, 4);
  await next(page, 5);
}

async function next(page: Page, step: number) {
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/new/\\d+/${step}$`));
  await hydrated(page);
}

test('the add-customer wizard: errors, Back, a reload, Update, submit', async ({ page }, testInfo) => {
  // Creates a customer: once is enough.
  test.skip(testInfo.project.name !== 'desktop', 'runs on the desktop project only');
  await signIn(page, LOGINS.manager);
  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page).toHaveURL(/\/customers\/new\/\d+\/1$/);
  await hydrated(page);

  // Nothing filled: every required field says so, and the summary links to it.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('Legal name: Fill in this field.');
  await expect(page.locator('#f-tax_id-error')).toHaveText('Fill in this field.');

  // A wrong tax id keeps everything typed.
  await fillAccount(page, 'ООО «Вектор»', '123', 'office@vector.test');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.locator('#f-tax_id-error')).toHaveText('This does not look right: check the format.');
  await expect(page.getByLabel('Legal name')).toHaveValue('ООО «Вектор»');
  await page.getByLabel('Tax ID').fill('1655123456');
  await next(page, 2);

  // Step 2 cannot be passed without the acceptance.
  await page.getByLabel('Date of acceptance').fill('2026-11-20');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.locator('#f-accepted-error')).toHaveText('Fill in this field.');
  await page.getByLabel('The customer has accepted the service agreement').check();
  await next(page, 3);

  // Back to step 2: what was saved is there.
  await page.getByRole('link', { name: 'Back' }).click();
  await expect(page).toHaveURL(/\/2$/);
  await expect(page.getByLabel('Date of acceptance')).toHaveValue('2026-11-20');
  await next(page, 3);

  await page.getByLabel('Northwind Partners').check();
  await next(page, 4);

  // A reload in the middle loses nothing.
  await page.reload();
  await hydrated(page);
  await page.getByRole('checkbox', { name: /Remote monitoring licence/ }).check();
  await page.getByLabel('Licences').nth(await licencesIndex(page, 'Remote monitoring licence')).fill('12');
  await next(page, 5);

  const review = page.getByRole('main');
  await expect(review).toContainText('ООО «Вектор»');
  await expect(review).toContainText('Northwind Partners');
  await expect(review).toContainText('Remote monitoring licence × 12');

  // Update returns to the step with its values kept.
  await page.getByRole('link', { name: 'Update Account details' }).click();
  await expect(page).toHaveURL(/\/1$/);
  await hydrated(page);
  await expect(page.getByLabel('Legal name')).toHaveValue('ООО «Вектор»');
  await page.getByLabel('Legal name').fill('ООО «Вектор-М»');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page).toHaveURL(/\/2$/);
  await page.goto(page.url().replace(/\/2$/, '/5'));
  await hydrated(page);
  await expect(page.getByRole('main')).toContainText('ООО «Вектор-М»');

  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByRole('heading', { name: 'Customer created' })).toBeVisible();

  // Found in the list by its tax id; opening it shows the subscription.
  await page.goto('/customers?q=1655123456');
  await page.getByRole('link', { name: 'ООО «Вектор-М»', exact: true }).first().click();
  await page.getByRole('link', { name: 'Contracts and subscriptions' }).click();
  await expect(page.getByRole('cell', { name: 'Remote monitoring licence' })).toBeVisible();

  // The same tax id again is detected before submit.
  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await hydrated(page);
  await fillAccount(page, 'Vector again', '1655123456', 'other@vector.test');
  await toReview(page);
  await expect(page.getByRole('alert')).toContainText('This customer may already exist.');
  await expect(page.getByRole('alert').getByRole('link', { name: 'ООО «Вектор-М»', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create customer' })).toBeDisabled();
});

async function licencesIndex(page: Page, offer: string): Promise<number> {
  const names = await page.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.parentElement?.textContent ?? ''));
  return names.findIndex((n) => n.includes(offer));
}

test('the clients list searches and a client is deleted only after typing its name', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'deletes a demo customer: once is enough');
  await signIn(page, LOGINS.admin);
  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('searchbox', { name: 'Search' }).fill('borealis');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=borealis/);
  await expect(page.getByRole('link', { name: 'Borealis Hotels', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Acme Manufacturing', exact: true })).toHaveCount(0);

  await page.getByRole('link', { name: 'Delete Borealis Hotels' }).click();
  await hydrated(page);
  await page.getByLabel('Type the company name to confirm').fill('Borealis');
  await page.getByRole('button', { name: 'Delete customer' }).click();
  await expect(page.locator('#f-confirm_name-error')).toHaveText('This is not the company’s name as shown above.');
  await page.getByLabel('Type the company name to confirm').fill('Borealis Hotels');
  await page.getByRole('button', { name: 'Delete customer' }).click();
  await expect(page.getByRole('status')).toContainText('The customer was deleted.');
  await expect(page.getByRole('link', { name: 'Borealis Hotels', exact: true })).toHaveCount(0);

  // An administrator finds it among the deleted and restores it.
  await page.goto('/customers?status=deleted');
  await page.getByRole('link', { name: 'Borealis Hotels', exact: true }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText('This customer is deleted')).toHaveCount(0);
  await page.goto('/customers');
  await expect(page.getByRole('link', { name: 'Borealis Hotels', exact: true })).toBeVisible();
});

test('a reseller sees only its own customers and cannot open another’s by URL', async ({ browser, page }) => {
  // The address of a direct customer, as staff see it.
  const staff = await browser.newPage();
  await signIn(staff, LOGINS.manager);
  await staff.goto('/customers?reseller=direct');
  const href = await staff.getByRole('link', { name: 'Borealis Hotels', exact: true }).first().getAttribute('href');
  await staff.close();

  await signIn(page, LOGINS.reseller);
  await page.goto('/customers');
  await expect(page.getByRole('link', { name: 'Acme Manufacturing', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Borealis Hotels', exact: true })).toHaveCount(0);
  await page.goto(href as string);
  await expect(page.getByRole('alert')).toContainText('This was not found.');
  await expect(page.getByRole('main')).not.toContainText('Nevsky');
});

test('invite a customer user → outbox link → set password → in the portal', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'creates a user: once is enough');
  await signIn(page, LOGINS.manager);
  await page.goto('/customers?q=acme');
  await page.getByRole('link', { name: 'Acme Manufacturing', exact: true }).click();
  await page.getByRole('link', { name: 'Users' }).click();
  await hydrated(page);
  await page.getByLabel('Full name').fill('Зарина Ахмедова');
  await page.getByRole('textbox', { name: 'E-mail', exact: true }).fill('zarina@acme.example');
  await page.getByLabel('Only their own tickets').check();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toHaveText('Invitation sent.');
  await expect(page.getByRole('cell', { name: 'Зарина Ахмедова', exact: true })).toBeVisible();

  // The link, as an administrator reads it in the outbox.
  const admin = await browser.newPage();
  await signIn(admin, LOGINS.admin);
  await admin.goto('/settings/outbox');
  const href = await admin.getByRole('row').filter({ hasText: 'zarina@acme.example' }).first().getByRole('link', { name: /invitation\?token=/ }).getAttribute('href');
  await admin.close();

  const invited = await browser.newContext();
  const zarina = await invited.newPage();
  await zarina.goto(href as string);
  await expect(zarina.getByText('Acme Manufacturing')).toBeVisible();
  await hydrated(zarina);
  await zarina.getByLabel('New password', { exact: true }).fill('zarina secret 1');
  await zarina.getByLabel('Repeat the new password').fill('zarina secret 1');
  await zarina.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(zarina.getByRole('heading', { level: 1, name: 'Hello, Зарина Ахмедова' })).toBeVisible();
  await expect(zarina.getByRole('navigation', { name: 'Main navigation' }).getByRole('link')).toHaveText(['Tickets', 'Messages', 'Equipment', 'Analytics']);
  await invited.close();

  // Used links do not work twice.
  const again = await browser.newPage();
  await again.goto(href as string);
  await expect(again.getByRole('alert')).toContainText('This invitation is not valid any more');
  await again.close();
});

test('log in as a customer: reason, banner, read-only, return, and the customer sees the visit', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one visit is enough');
  await signIn(page, LOGINS.reseller);
  await page.goto('/customers');
  await page.getByRole('link', { name: 'Acme Manufacturing', exact: true }).click();
  await page.getByRole('link', { name: 'Users' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Log in as Olga Ivanova' }).click();
  await page.getByLabel('Reason for entering the customer').fill('');
  await page.getByRole('button', { name: 'Log in as', exact: true }).click();
  await expect(page.locator('#f-reason-error')).toHaveText('Fill in this field.');
  await page.getByLabel('Reason for entering the customer').fill('Walking the customer through ticket T-1003');
  await page.getByRole('button', { name: 'Log in as', exact: true }).click();

  // In the customer's portal, with a banner on every page.
  const banner = page.getByRole('status').filter({ hasText: "You are in Olga Ivanova's account" });
  await expect(banner).toContainText('read-only');
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link')).toHaveText(['Tickets', 'Messages', 'Equipment', 'Analytics']);
  await page.goto('/tickets');
  await expect(banner).toBeVisible();

  // Read-only: saving the profile is refused with a clear message.
  await page.goto('/profile');
  await hydrated(page);
  await page.getByLabel('Full name').fill('Changed by the reseller');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'read-only' })).toBeVisible();

  await page.getByRole('button', { name: 'Return to my account' }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(banner).toHaveCount(0);

  // The customer sees the visit and its reason.
  const customer = await browser.newPage();
  await signIn(customer, LOGINS.customer);
  await customer.goto('/profile');
  await expect(customer.getByText('Walking the customer through ticket T-1003')).toBeVisible();
  await expect(customer.getByLabel('Full name').first()).toHaveValue('Olga Ivanova');
  await customer.close();
});

/** The newest outbox link to `recipient` whose text matches `pattern`, as an admin reads it. */
async function outboxLink(browser: import('@playwright/test').Browser, recipient: string, pattern: RegExp): Promise<string> {
  const admin = await browser.newPage();
  await signIn(admin, LOGINS.admin);
  await admin.goto('/settings/outbox');
  const href = await admin.getByRole('row').filter({ hasText: recipient }).first().getByRole('link', { name: pattern }).getAttribute('href');
  await admin.close();
  return href as string;
}

test('a reseller asks an existing customer for a relationship; its administrator accepts', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  // A direct customer with its own administrator, set up by a manager.
  const staff = await browser.newPage();
  await signIn(staff, LOGINS.manager);
  await staff.goto('/customers');
  await hydrated(staff);
  await staff.getByRole('button', { name: 'Add customer' }).click();
  await hydrated(staff);
  await fillAccount(staff, 'Lumen Labs', '1655999999', 'office@lumen.test');
  await toReview(staff);
  await staff.getByRole('button', { name: 'Create customer' }).click();
  await staff.getByRole('link', { name: 'Invite the customer' }).click();
  await hydrated(staff);
  await staff.getByLabel('Full name').fill('Boss Lumen');
  await staff.getByRole('textbox', { name: 'E-mail', exact: true }).fill('boss@lumen.test');
  await staff.getByLabel('Company administrator').check();
  await staff.getByRole('button', { name: 'Send invitation' }).click();
  await expect(staff.getByRole('status')).toHaveText('Invitation sent.');
  await staff.close();

  const bossContext = await browser.newContext();
  const boss = await bossContext.newPage();
  await boss.goto(await outboxLink(browser, 'boss@lumen.test', /invitation\?token=/));
  await hydrated(boss);
  await boss.getByLabel('New password', { exact: true }).fill('lumen boss secret');
  await boss.getByLabel('Repeat the new password').fill('lumen boss secret');
  await boss.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(boss.getByRole('heading', { level: 1, name: 'Hello, Boss Lumen' })).toBeVisible();

  // The reseller tries to add the same company and asks for a relationship instead.
  await signIn(page, LOGINS.reseller);
  await page.goto('/customers');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await hydrated(page);
  await fillAccount(page, 'Lumen (again)', '1655999999', 'new@lumen.test');
  await toReview(page);
  const notice = page.getByRole('alert').filter({ hasText: 'This customer may already exist.' });
  await expect(notice).toContainText('A customer you do not manage');
  await expect(notice).not.toContainText('Lumen Labs');
  await notice.getByRole('button', { name: 'Request a relationship' }).click();
  await expect(notice).toContainText("Request sent to the customer's administrators.");

  // The company's administrator accepts through the e-mailed link.
  await boss.goto(await outboxLink(browser, 'boss@lumen.test', /relationship\?token=/));
  await expect(boss.getByText('Northwind Partners asks to serve Lumen Labs')).toBeVisible();
  await hydrated(boss);
  await boss.getByRole('button', { name: 'Accept' }).click();
  await expect(boss.getByRole('status')).toHaveText('Accepted: the reseller now serves your company.');
  await bossContext.close();

  await page.goto('/customers?q=lumen');
  await expect(page.getByRole('link', { name: 'Lumen Labs', exact: true })).toBeVisible();
});
