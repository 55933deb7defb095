import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LOGINS, asUser, open } from './helpers';

type Row = { id: number; name: string; company: string; kind: string };

/** The registry's objects as `page`'s user sees them (first page). */
async function objects(request: APIRequestContext, search = ''): Promise<Row[]> {
  const response = await request.post('/api/equipment_list', {
    data: { filter: { search, company_id: null, class: '', kind: '', parent_id: null, retired: false, after: null } },
  });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).items;
}

async function objectId(request: APIRequestContext, name: string, company: string): Promise<number> {
  const row = (await objects(request, name)).find((r) => r.name === name && r.company === company);
  expect(row, `${name} of ${company}`).toBeTruthy();
  return row!.id;
}

/** Decodes the QR code drawn in `selector` from a screenshot of it. */
async function decodeQr(page: Page, selector: string): Promise<string> {
  const shot = await page.locator(selector).screenshot();
  const png = PNG.sync.read(shot);
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, 'a readable QR code').toBeTruthy();
  return code!.data;
}

/** A small real PNG, as a phone camera would send a photo. */
function photo(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 30;
    png.data[i + 1] = 120 + ((i / 4) % 64);
    png.data[i + 2] = 200;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

test('a label decodes to the public page, where anyone reports a problem that staff then see', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only (the reporter uses a 360 px phone)');
  const manager = await asUser(browser, LOGINS.manager);
  const id = await objectId(manager.request, 'Chiller CH-2', 'Borealis Hotels');
  await open(manager, `/equipment/${id}`);
  await expect(manager.getByRole('heading', { level: 1, name: /Chiller CH-2/ })).toBeVisible();
  const decoded = await decodeQr(manager, '[data-testid="qr"] svg');
  await expect(manager.getByTestId('qr-url')).toHaveText(decoded);
  expect(decoded).toMatch(/\/q\/[A-Za-z0-9_-]{22}$/);

  // A passer-by on a phone, signed out, opens what the code holds.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  await visitor.goto(decoded);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Chiller CH-2' })).toBeVisible();
  await expect(visitor.getByText('SN-')).toHaveCount(0);
  expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // An empty description is refused at its field, and the name typed is kept.
  const form = visitor.locator('#report');
  await form.getByLabel('Your name').fill('Ivan, caretaker');
  await form.getByLabel('Phone or e-mail').fill('+7 900 555-44-33');
  await form.getByRole('button', { name: 'Send the report' }).click();
  await expect(form.locator('.field--invalid').getByText('Fill in this field.')).toBeVisible();
  await expect(form.getByLabel('Your name')).toHaveValue('Ivan, caretaker');
  await form.getByLabel('What is wrong?').fill('Water is dripping from the chiller\nonto the floor of the plant room');
  await form.getByLabel('Phone or e-mail').fill('+7 900 555-44-33');
  await form.getByLabel('Photo').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: photo() });
  await form.getByRole('button', { name: 'Send the report' }).click();
  const done = visitor.getByTestId('reported');
  await expect(done).toContainText('Your report was filed as ticket');
  const number = (await done.textContent())!.match(/ticket (\S+)\./)![1];

  // Scanning again shows it is already reported.
  await visitor.goto(decoded);
  await expect(visitor.getByTestId('already-reported')).toContainText(number);

  // Staff see the ticket, from QR, on that object, with the photo.
  await open(manager, `/tickets?q=${encodeURIComponent(number)}`);
  await manager.getByRole('link', { name: number }).click();
  await expect(manager.getByRole('heading', { level: 1, name: 'Water is dripping from the chiller' })).toBeVisible();
  await expect(manager.getByText('onto the floor of the plant room')).toBeVisible();
  await expect(manager.getByText('QR code')).toBeVisible();
  await expect(manager.getByText('Ivan, caretaker')).toBeVisible();
  await expect(manager.getByRole('link', { name: 'leak.png' })).toBeVisible();
  await phone.close();
  await manager.context().close();
});

test('registering from a label sees only that object; scanning a second one adds it', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only (the visitor uses a 360 px phone)');
  const manager = await asUser(browser, LOGINS.manager);
  const url = async (name: string) => {
    const id = await objectId(manager.request, name, 'Cosmos Clinics');
    const response = await manager.request.post('/api/equipment_passport', { form: { id: String(id) } });
    return (await response.json()).qr_url as string;
  };
  const ups = await url('Server room UPS');
  const lift = await url('Passenger lift 1');

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  await open(visitor, ups);
  const email = `qr-${Date.now()}@visitor.example`;
  const form = visitor.locator('#register');
  await form.getByLabel('Your name').fill('Nina Guard');
  await form.getByLabel('E-mail or phone').fill(email);
  await form.getByLabel('Password', { exact: true }).fill('a long passphrase');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(visitor.getByTestId('registration-sent')).toContainText(email);

  // The confirmation link, from the outbox the admin can read.
  const admin = await asUser(browser, LOGINS.admin);
  const outbox = await admin.request.post('/api/list_outbox', { form: {} });
  const message = (await outbox.json()).items.find((m: { recipient: string }) => m.recipient === email);
  expect(message, 'the confirmation mail').toBeTruthy();
  const link = (message.body as string).match(/(http\S+\/register\/confirm\?token=\S+)/)![1];

  await open(visitor, link);
  await visitor.getByTestId('confirm').click();
  await expect(visitor).toHaveURL(/\/equipment\/\d+$/);
  await expect(visitor.getByRole('heading', { level: 1, name: /Server room UPS/ })).toBeVisible();
  await open(visitor, '/equipment');
  const table = visitor.locator('table');
  await expect(table.getByRole('link', { name: 'Server room UPS' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Passenger lift 1' })).toHaveCount(0);
  await expect(table.getByRole('link', { name: 'Chiller CH-2' })).toHaveCount(0);
  // Their tickets are only the scanned object's: none of the company's others.
  await open(visitor, '/tickets?tab=all');
  await expect(visitor.getByText('Lift stops between floors')).toHaveCount(0);

  // Scanning a second label while signed in adds it.
  await open(visitor, lift);
  await expect(visitor.getByText('This object was added to your account')).toBeVisible();
  await open(visitor, '/equipment');
  await expect(table.getByRole('link', { name: 'Passenger lift 1' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Chiller CH-2' })).toHaveCount(0);
  await phone.close();
  await admin.context().close();
  await manager.context().close();
});

test('replacing a label makes the old one say it is no longer valid', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only');
  const manager = await asUser(browser, LOGINS.manager);
  const id = await objectId(manager.request, 'Passenger lift 1', 'Acme Manufacturing');
  await open(manager, `/equipment/${id}`);
  const old = (await manager.getByTestId('qr-url').textContent())!;
  manager.once('dialog', (dialog) => dialog.accept());
  await manager.getByTestId('rotate').click();
  await expect(manager.getByText('The label was replaced')).toBeVisible();
  await expect(manager.getByTestId('qr-url')).not.toHaveText(old);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(old);
  await expect(visitor.getByRole('heading', { level: 1, name: 'This label is no longer valid' })).toBeVisible();
  await expect(visitor.getByRole('button', { name: 'Send the report' })).toHaveCount(0);
  await visitor.context().close();
  await manager.context().close();
});

test('the label sheet prints to A4 with one label per object chosen', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'printing is tested once');
  const { signIn } = await import('./helpers');
  await signIn(page, LOGINS.manager);
  await open(page, '/equipment');
  const boxes = page.locator('tbody input[type="checkbox"]');
  await expect(boxes.first()).toBeVisible();
  for (let i = 0; i < 5; i++) await boxes.nth(i).check();
  await page.getByTestId('print-labels').click();
  await expect(page).toHaveURL(/\/equipment\/labels\?ids=/);
  await expect(page.getByTestId('label')).toHaveCount(5);
  // Every label's code is readable.
  const first = await decodeQr(page, '[data-testid="label"] >> nth=0 >> svg');
  expect(first).toMatch(/\/q\//);

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: true }).promise;
  expect(doc.numPages).toBe(1);
  const sheet = await doc.getPage(1);
  const [, , width, height] = sheet.view;
  expect(Math.round(width)).toBe(595);
  expect(Math.round(height)).toBe(842);
  const text = (await sheet.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  expect(text.match(/Scan to report a problem/g)?.length).toBe(5);
  expect(text).not.toContain('Equipment labels');

  // All the registry's objects: still one label each, over as many sheets as needed.
  const all = await objects(page.request);
  await open(page, `/equipment/labels?ids=${all.map((r) => r.id).join(',')}`);
  await expect(page.getByTestId('label')).toHaveCount(all.length);
  const full = await getDocument({ data: new Uint8Array(await page.pdf({ preferCSSPageSize: true })), useSystemFonts: true }).promise;
  expect(full.numPages).toBe(Math.ceil(all.length / 24));
});

test('a customer sees their company’s equipment, without labels or changes', async ({ page }) => {
  const { signIn } = await import('./helpers');
  await signIn(page, LOGINS.customer);
  await open(page, '/equipment');
  await expect(page.getByRole('heading', { level: 1, name: 'Equipment' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Passenger lift 1' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Acme Manufacturing' }).first()).toBeVisible();
  await expect(page.getByText('Cosmos Clinics')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Add object' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Passenger lift 1' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Passenger lift 1/ })).toBeVisible();
  await expect(page.getByTestId('qr')).toHaveCount(0);
  const response = await page.goto('/equipment/labels');
  expect(response?.status()).toBe(403);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
});
