import { test } from '@playwright/test';
import { signIn, LOGINS, hydrated } from '../helpers';
for (const lang of ['en', 'ru']) {
  test(`shots ${lang}`, async ({ page }, info) => {
    await signIn(page, LOGINS.customer);
    if (lang === 'ru') {
      await page.context().addCookies([{ name: 'atrium_lang', value: 'ru', url: 'http://127.0.0.1:3100' }]);
      await page.request.post('/api/set_language', { form: { language: 'ru' } });
    }
    await page.goto('/messages');
    await hydrated(page);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `/tmp/shots/messages-${lang}-${info.project.name}.png`, fullPage: true });
    await page.getByTestId('conversation').first().getByRole('link').click();
    await hydrated(page);
    await page.waitForTimeout(800);
    await page.locator('#chat-body').fill('Could you also check the door sensor? https://example.test/photo');
    await page.screenshot({ path: `/tmp/shots/chat-${lang}-${info.project.name}.png`, fullPage: true });
    await page.goto('/profile');
    await hydrated(page);
    await page.screenshot({ path: `/tmp/shots/profile-${lang}-${info.project.name}.png`, fullPage: true });
  });
}
