import { expect, test, type Page } from '@playwright/test';
import { hydrated, LOGINS, signIn } from './helpers';

// Each page's code is a WASM chunk of its own: the server names the chunks of the page it
// renders in the head, the browser fetches them beside the main module and hydrates, and
// a page reached by a link loads its chunk then.

function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.wasm')) seen.push(url.pathname);
  });
  return seen;
}

test('a page arrives with its own chunk, preloaded by the server, and hydrates', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, LOGINS.manager);

  const fetched = wasmRequests(page);
  const response = await page.goto('/equipment');
  const html = (await response?.text()) ?? '';
  await hydrated(page);

  // The head names the page's chunks; the main module is one of several .wasm files.
  const preloaded = [...html.matchAll(/<link rel="preload" href="([^"]+\.wasm)"/g)].map((m) => m[1]);
  const main = preloaded.filter((href) => /\/pkg\/atrium\.[^/]+\.wasm$/.test(href));
  const chunks = preloaded.filter((href) => !main.includes(href));
  expect(main).toHaveLength(1);
  expect(chunks.length).toBeGreaterThan(0);
  for (const chunk of chunks) expect(fetched).toContain(chunk);

  await expect(page.getByRole('heading', { level: 1, name: 'Equipment' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a link to another page loads that page’s chunk and the page works', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the desktop side navigation is enough for this');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, LOGINS.manager);
  await hydrated(page);

  const fetched = wasmRequests(page);
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Tickets' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();
  // A client-side navigation (the same document) that fetched the page's chunk.
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  expect(fetched.every((path) => !/\/pkg\/atrium\.[^/]+\.wasm$/.test(path))).toBe(true);

  // Inside the page, its tabs route in the same document too.
  await page.getByRole('link', { name: 'Archive' }).click();
  await expect(page).toHaveURL(/tab=archive/);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(errors).toEqual([]);
});
