import { expect, test } from '@playwright/test';
import { LOGINS, open, signIn } from './helpers';

test('an admin adds a work type and an SLA rule, and archives a ticket type', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'changes data: desktop project only');
  await signIn(page, LOGINS.admin);
  await open(page, '/settings');
  await page.getByRole('link', { name: /Ticket settings/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ticket settings' })).toBeVisible();

  const work = page.getByTestId('work-section');
  await work.getByLabel('Name').fill('Leak test');
  await work.getByLabel('Equipment classes').fill('HVAC, Lift');
  await work.getByRole('button', { name: 'Add a work type' }).click();
  await expect(work.getByRole('cell', { name: 'Leak test', exact: true })).toBeVisible();
  await expect(work.getByRole('cell', { name: 'HVAC, Lift', exact: true })).toBeVisible();

  const rules = page.getByTestId('rules-section');
  await rules.getByLabel('Name').fill('Urgent lifts');
  await rules.getByLabel('Criticality').selectOption({ label: 'Urgent' });
  await rules.getByLabel('Reaction, hours').fill('2');
  await rules.getByLabel('Resolution, hours').fill('1');
  await rules.getByRole('button', { name: 'Add a rule' }).click();
  await expect(rules.getByText('Resolution cannot be due before the reaction.').first()).toBeVisible();
  await expect(rules.getByLabel('Name')).toHaveValue('Urgent lifts');
  await rules.getByLabel('Resolution, hours').fill('6,5');
  await rules.getByRole('button', { name: 'Add a rule' }).click();
  const row = rules.getByRole('row', { name: /Urgent lifts/ });
  await expect(row).toContainText('Urgent · all contracts');
  await expect(row).toContainText('6.5 h');

  const fields = page.getByTestId('field-section');
  await fields.getByLabel('Label').fill('Floor');
  await fields.getByLabel('Kind').selectOption({ label: 'Choice' });
  await fields.getByRole('button', { name: 'Add a field' }).click();
  await expect(fields.getByText('Add at least 2', { exact: false }).or(fields.locator('.field--invalid')).first()).toBeVisible();
  await fields.getByLabel('Choices, one per line').fill('Ground\nFirst\nRoof');
  await fields.getByRole('button', { name: 'Add a field' }).click();
  await expect(fields.getByRole('row', { name: /Floor/ })).toContainText('Choice · Ground, First, Roof');

  const types = page.getByTestId('type-section');
  await types.getByRole('button', { name: 'Archive Task' }).click();
  await expect(types.getByRole('row', { name: /Task/ })).toContainText('Archived');
  // The ticket form no longer offers it.
  await open(page, '/tickets/new');
  await expect(page.locator('#f-ticket_type option', { hasText: 'Task' })).toHaveCount(0);
  await expect(page.locator('#f-ticket_type option', { hasText: 'Repair' }).first()).toBeAttached();
  await expect(page.getByLabel('Floor')).toBeVisible();
});
