import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary } from '../playwright.config';

test('the manifest and the service worker are served', async ({ request }) => {
  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.ok()).toBeTruthy();
  const body = await manifest.json();
  expect(body.short_name).toBe('Atrium');
  expect(body.display).toBe('standalone');
  expect(body.start_url).toBe('/');
  const sizes = body.icons.map((icon: { sizes: string }) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of body.icons) {
    const png = await request.get(icon.src);
    expect(png.headers()['content-type']).toBe('image/png');
  }
  const worker = await request.get('/sw.js');
  expect(worker.ok()).toBeTruthy();
  expect(worker.headers()['content-type']).toContain('javascript');
  expect(worker.headers()['cache-control']).toBe('no-cache');
});

test('with the server down, the installed app shows the offline page', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one server start is enough');
  // A server of its own, so that this test can stop it.
  const port = 3190;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atrium-offline-'));
  const server = spawn(binary, [], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, DATABASE_URL: `sqlite://${dir}/a.db`, LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
    stdio: 'ignore',
  });
  try {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
    const page = await context.newPage();
    await expect(async () => {
      await page.goto('/sign-in');
    }).toPass({ timeout: 20_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first load is not yet controlled by the worker; the next one is.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    await page.goto('/tickets');
    await expect(page.getByRole('heading', { name: 'You are offline' })).toBeVisible();
    await context.close();
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
