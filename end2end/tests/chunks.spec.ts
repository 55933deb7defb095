import { expect, test, type Page } from '@playwright/test';
import { hydrated, LOGINS, signIn } from './helpers';

// A page's code is in its area's WASM chunks (src/areas.rs): the server names the drawn
// areas' chunks in `Link: rel=preload` headers, the browser fetches them beside the main
// module and hydrates, and a link into an area not loaded yet fetches that area then.

const MAIN = /\/pkg\/atrium\.[^/]+\.wasm$/;

function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.wasm')) seen.push(url.pathname);
  });
  return seen;
}

function preloadedChunks(linkHeader: string | undefined): string[] {
  return [...(linkHeader ?? '').matchAll(/<([^>]+\.wasm)>; rel=preload/g)].map((m) => m[1]);
}

test('a page arrives with its areas’ chunks named by the server, fetches them and hydrates once', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await signIn(page, LOGINS.manager);

  const fetched = wasmRequests(page);
  const response = await page.goto('/equipment');
  await hydrated(page);

  // The frame and the equipment area were drawn, and both are marked for hydration.
  const areas = await page.locator('template[data-area]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-area')));
  expect(areas).toEqual(['frame', 'equipment']);

  const chunks = preloadedChunks(response?.headers()['link']);
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks.some((href) => MAIN.test(href))).toBe(false);
  for (const chunk of chunks) expect(fetched).toContain(chunk);

  // Hydrated once: one heading, one navigation, and the page answers to clicks.
  await expect(page.getByRole('heading', { level: 1, name: 'Equipment' })).toHaveCount(1);
  // (the side navigation is hidden on a phone, so count it in the document).
  await expect(page.locator('nav.sidebar')).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('the sign-in page needs only the public area', async ({ page }) => {
  const response = await page.goto('/sign-in');
  await hydrated(page);
  const areas = await page.locator('template[data-area]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-area')));
  expect(areas).toEqual(['public']);
  expect(preloadedChunks(response?.headers()['link']).length).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(1);
});

test('a link into an area not loaded yet fetches its chunks and the page works', async ({ page, isMobile }) => {
  test.skip(isMobile, 'the desktop side navigation is enough for this');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, LOGINS.manager);
  await hydrated(page);

  const fetched = wasmRequests(page);
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Tickets' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();
  // A client-side navigation (the same document) that fetched the area's chunks only.
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  expect(fetched.every((path) => !MAIN.test(path))).toBe(true);

  // Inside the area, its tabs route in the same document too.
  await page.getByRole('link', { name: 'Archive' }).click();
  await expect(page).toHaveURL(/tab=archive/);
  await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(errors).toEqual([]);
});
