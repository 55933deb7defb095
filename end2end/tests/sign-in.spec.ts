import { expect, test } from '@playwright/test';
import { hydrated, LOGINS, signIn, signOut } from './helpers';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`sign-in with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('signs in and out', async ({ page }) => {
      await page.goto('/tickets');
      // Not signed in: sent to the sign-in page, then back to where we wanted to go.
      await expect(page).toHaveURL(/\/sign-in\?next=%2Ftickets/);
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel('E-mail or phone').fill(LOGINS.manager);
      await page.getByLabel('Password', { exact: true }).fill('atrium-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/tickets$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();

      await signOut(page);
      await page.goto('/');
      await expect(page).toHaveURL(/\/sign-in/);
    });

    test('a wrong password is refused at the field and keeps the login', async ({ page }) => {
      await page.goto('/sign-in');
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel('E-mail or phone').fill(LOGINS.engineer);
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
      await expect(summary).toContainText('The e-mail, phone or password is not correct.');
      await expect(page.locator('#f-password-error')).toHaveText('The e-mail, phone or password is not correct.');
      await expect(page.getByLabel('E-mail or phone')).toHaveValue(LOGINS.engineer);
      await expect(page).toHaveURL(/\/sign-in/);
    });

    test('bad input gets a message next to the field, never a server error', async ({ page }) => {
      const cases: [string, string][] = [
        ['', 'Fill in this field.'],
        ['x'.repeat(10 * 1024), 'Use at most 254 characters.'],
        ['<script>alert(1)</script>', 'Enter an e-mail address or a phone number.'],
        ["' OR 1=1; --", 'Enter an e-mail address or a phone number.'],
        ['Иванов', 'Enter an e-mail address or a phone number.'],
      ];
      for (const [login, message] of cases) {
        await page.goto('/sign-in');
        if (javaScriptEnabled) await hydrated(page);
        await page.getByLabel('E-mail or phone').fill(login);
        await page.getByLabel('Password', { exact: true }).fill('whatever123');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page.locator('#f-login-error')).toHaveText(message);
        if (login.length < 300) await expect(page.getByLabel('E-mail or phone')).toHaveValue(login);
      }
    });
  });
}

test('the signed-in user is greeted by name on the home page', async ({ page }) => {
  await signIn(page, LOGINS.customer);
  await expect(page.getByRole('heading', { name: 'Hello, Olga Ivanova' })).toBeVisible();
});
