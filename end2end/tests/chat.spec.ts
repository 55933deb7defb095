import { expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binary } from '../playwright.config';
import { hydrated, LOGINS, signIn } from './helpers';

async function as(browser: Browser, login: string, baseURL?: string): Promise<Page> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  await signIn(page, login);
  return page;
}

async function openChat(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId('chat-live')).toHaveAttribute('data-live', 'true');
}

async function say(page: Page, text: string) {
  await page.locator('#chat-body').fill(text);
  await page.locator('#chat-body').press('Enter');
}

/** The conversation's delivered messages with this text (the optimistic copy excluded). */
function delivered(page: Page, text: string) {
  return page.locator('.chat__list .msg:not([data-pending])').filter({ hasText: text });
}

test('customer and engineer talk in real time; the badge and the Messages page follow', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only');
  test.setTimeout(120_000);
  const customer = await as(browser, LOGINS.customer);
  const engineer = await as(browser, LOGINS.engineer);
  const manager = await as(browser, LOGINS.manager);

  // The demo conversation is on the customer's Messages page, with the engineer's answer unread.
  await customer.goto('/messages');
  await hydrated(customer);
  const lift = customer.getByTestId('conversation').filter({ hasText: 'Lift stops between floors' }).first();
  await expect(lift.getByTestId('conversation-unread')).toHaveText('1');
  await expect(customer.getByTestId('messages-unread').first()).toHaveAttribute('data-count', '1');
  await lift.getByRole('link').click();
  await expect(customer).toHaveURL(/\/tickets\/\d+\?tab=messages$/);
  const url = new URL(customer.url()).pathname + '?tab=messages';
  await hydrated(customer);
  await expect(customer.getByTestId('chat-live')).toHaveAttribute('data-live', 'true');
  await expect(delivered(customer, 'I will be on site today at 14:00')).toHaveCount(1);
  // Opening the conversation read it.
  await expect(customer.getByTestId('messages-unread').first()).toBeHidden();

  // The manager joins the conversation, then watches another page.
  await openChat(manager, url);
  await manager.locator('#chat-add').selectOption({ label: 'Mikhail Manager' });
  await manager.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(manager.locator('.chat__members')).toContainText('Mikhail Manager');
  await manager.goto('/tickets');
  await hydrated(manager);

  // Both ways, without reloads.
  await openChat(engineer, url);
  await say(customer, 'Machine room is open, the key is at the reception.');
  await expect(delivered(customer, 'the key is at the reception')).toHaveCount(1);
  await expect(delivered(engineer, 'the key is at the reception')).toHaveCount(1);
  await say(engineer, 'On my way <b>now</b>.');
  await expect(delivered(customer, 'On my way <b>now</b>.')).toHaveCount(1);
  await expect(customer.locator('.chat__list b')).toHaveCount(0);
  // The customer's message shows as read once the engineer has it on screen.
  await expect(customer.locator('.msg--mine').filter({ hasText: 'the key is at the reception' }).locator('.msg__state')).toHaveText('Read');

  // The third page counts what the manager has not read.
  await expect(manager.getByTestId('messages-unread').first()).toHaveAttribute('data-count', '2', { timeout: 25_000 });

  // The Messages page orders conversations by their newest message and counts unread.
  const other = await customer.context().newPage();
  await other.goto('/tickets?tab=all&q=UPS+batteries');
  await hydrated(other);
  await other.getByRole('link', { name: /Replace UPS batteries/ }).first().click();
  await other.waitForURL(/\/tickets\/\d+$/);
  await openChat(other, new URL(other.url()).pathname + '?tab=messages');
  await say(other, 'Is the UPS report ready?');
  await expect(delivered(other, 'Is the UPS report ready?')).toHaveCount(1);
  await manager.goto('/messages');
  await hydrated(manager);
  await expect(manager.getByTestId('conversation').first()).toContainText('Lift stops between floors');
  await expect(manager.getByTestId('conversation').first().getByTestId('conversation-unread')).toHaveText('2');
  await customer.goto('/messages');
  await hydrated(customer);
  const rows = customer.getByTestId('conversation');
  await expect(rows.first()).toContainText('Replace UPS batteries');
  await expect(rows.nth(1)).toContainText('Lift stops between floors');
  await expect(rows.nth(1).getByTestId('conversation-unread')).toHaveCount(0);
  // Search narrows to the conversation that mentions the words (the index catches up within seconds).
  await expect(async () => {
    await customer.goto('/messages?q=reception');
    await expect(customer.getByTestId('conversation')).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(customer.getByTestId('conversation')).toContainText('Lift stops between floors');
});

test('the conversation tab and the Messages page fit a phone', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'layout check for phones');
  const customer = await as(browser, LOGINS.customer);
  await customer.goto('/messages');
  await hydrated(customer);
  await expect(customer.getByTestId('conversation').first()).toBeVisible();
  await customer.getByTestId('conversation').first().getByRole('link').click();
  await hydrated(customer);
  await expect(customer.locator('#chat-body')).toBeVisible();
  const overflow = await customer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

// ---------------------------------------------------------------- a restart mid-conversation

const root = path.resolve(__dirname, '..', '..');
const PORT = 3107;
const base = `http://127.0.0.1:${PORT}`;
const dataDir = path.join(__dirname, '..', '.tmp', 'restart');

function start(seed: boolean): ChildProcess {
  const server = spawn(binary, seed ? ['--demo'] : [], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(dataDir, 'atrium.db')}`,
      ATRIUM_FILES_DIR: path.join(dataDir, 'files'),
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      ATRIUM_PUBLIC_URL: base,
      ATRIUM_LOGIN_FAILURES_PER_ADDRESS: '1000',
      RUST_LOG: 'warn',
    },
    stdio: 'ignore',
  });
  return server;
}

async function healthy() {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  await exited;
}

test('a server restart mid-conversation loses nothing and repeats nothing', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'starts its own server: desktop project only');
  test.setTimeout(120_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  let server = start(true);
  try {
    await healthy();
    const customer = await as(browser, LOGINS.customer, base);
    const engineer = await as(browser, LOGINS.engineer, base);
    await customer.goto('/messages');
    await hydrated(customer);
    await customer.getByTestId('conversation').first().getByRole('link').click();
    await expect(customer).toHaveURL(/tab=messages/);
    const url = new URL(customer.url()).pathname + '?tab=messages';
    await openChat(customer, url);
    await openChat(engineer, url);
    await say(customer, 'Before the restart');
    await expect(delivered(engineer, 'Before the restart')).toHaveCount(1);

    // The server goes away; the customer keeps writing.
    await stop(server);
    await expect(customer.getByTestId('chat-live')).toHaveAttribute('data-live', 'false');
    await say(customer, 'Written while the server was down');
    await expect(customer.locator('.msg--pending')).toContainText('Written while the server was down');

    server = start(false);
    await healthy();
    // The retried message arrives once on both sides; both streams resume.
    await expect(delivered(customer, 'Written while the server was down')).toHaveCount(1, { timeout: 30_000 });
    await expect(customer.locator('.msg--pending')).toHaveCount(0);
    await expect(delivered(engineer, 'Written while the server was down')).toHaveCount(1, { timeout: 30_000 });
    await expect(engineer.getByTestId('chat-live')).toHaveAttribute('data-live', 'true');
    await say(engineer, 'Back after the restart');
    await expect(delivered(customer, 'Back after the restart')).toHaveCount(1);
    await expect(delivered(customer, 'Before the restart')).toHaveCount(1);
    await expect(delivered(engineer, 'Before the restart')).toHaveCount(1);
    // Same conversation, same order, on both screens.
    const order = async (page: Page) => page.locator('.chat__list .msg:not([data-pending]) .msg__body').allInnerTexts();
    expect(await order(customer)).toEqual(await order(engineer));
  } finally {
    await stop(server).catch(() => {});
  }
});
