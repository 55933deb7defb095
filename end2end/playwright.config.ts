import { defineConfig } from '@playwright/test';
import path from 'node:path';

// Debian's Chromium, started the way this machine needs it (no downloads, no background
// network). The app is the binary cargo-leptos built, on a fresh SQLite database with
// the demo data, at a port of its own.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3100);
export const binary = process.env.ATRIUM_BIN ?? path.join(root, 'target', 'debug', 'atrium');
const database = path.join(__dirname, '.tmp', 'e2e.db');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // The specs share one server and its demo accounts: run them one after another.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunch,
    trace: 'off',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone',
      use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
  ],
  webServer: {
    command: `rm -rf .tmp && mkdir -p .tmp && cd .. && exec "${binary}" --demo`,
    cwd: __dirname,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${database}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      ATRIUM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Every test signs in from 127.0.0.1; the per-address limit is tested on the server.
      ATRIUM_LOGIN_FAILURES_PER_ADDRESS: '1000',
      RUST_LOG: 'warn',
    },
  },
});

