import { test } from '@playwright/test';
import { LOGINS, signIn } from './helpers';
test('debug', async ({ page }) => {
  await signIn(page, LOGINS.admin);
  await page.goto('/tickets');
  const r = await page.evaluate(() => {
    const d = document.documentElement;
    const out: string[] = ['base ' + (d.scrollWidth - d.clientWidth)];
    for (const sel of ['.tabs', '.toolbar', '.table-wrap', '.page-header', '.topbar', '.tabbar', '.breadcrumbs']) {
      const els = Array.from(document.querySelectorAll(sel)) as HTMLElement[];
      els.forEach((e) => (e.style.display = 'none'));
      out.push(sel + ' ' + (d.scrollWidth - d.clientWidth));
      els.forEach((e) => (e.style.display = ''));
    }
    return out.join(' | ');
  });
  console.log(r);
});
