// Steps for the Contacts page: empty state, create (the phone comes back normalised),
// field-level errors from the API (invalid phone, duplicate phone = CONTACT_EXISTS), edit,
// debounced search, tag filter and delete with confirmation.

import assert from 'node:assert/strict';
import { dismissToast, expectHash, heading, screenshot, sidebarLink, step } from './harness.mjs';

function table(page) {
  return page.getByRole('table', { name: 'Contacts' });
}

async function rowNames(page) {
  return table(page).locator('tbody tr .strong').allTextContents();
}

// Opens "New contact", fills the fields given, submits. Returns the dialog locator.
async function submitNewContact(page, { name, phone, email, tags }) {
  await page.getByRole('button', { name: 'New contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'New contact' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Phone number').fill(phone);
  if (email) await dialog.getByLabel('Email').fill(email);
  if (tags) await dialog.getByLabel('Tags').fill(tags);
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  return dialog;
}

async function createContact(page, contact) {
  const dialog = await submitNewContact(page, contact);
  await dialog.waitFor({ state: 'detached' });
  await dismissToast(page, 'Contact created successfully');
}

export function contactSteps() {
  step('Contacts opens from the sidebar with its empty state', async (page) => {
    await sidebarLink(page, 'Contacts').click();
    await expectHash(page, '#/contacts');
    await heading(page, 'Contacts');
    await page.getByText('No contacts yet.').waitFor();
    await page.getByText('Add one, or they will appear as customers message you.').waitFor();
  });

  step('a new contact is listed with its phone number normalised', async (page) => {
    await createContact(page, { name: 'Grace Hopper', phone: '+91 98765-43210', email: 'grace@example.com', tags: 'vip, wholesale' });
    const row = table(page).getByRole('row', { name: /Grace Hopper/ });
    await row.getByText('+919876543210', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'vip' }).waitFor();
    await row.getByRole('button', { name: 'wholesale' }).waitFor();
    await row.getByText('grace@example.com').waitFor();
  });

  step('API errors appear on the field they concern (invalid and duplicate phone)', async (page) => {
    const dialog = await submitNewContact(page, { name: 'Short Number', phone: '12345' });
    const phone = dialog.getByLabel('Phone number');
    await dialog.getByText(/^Phone number must have 8 to 15 digits/).waitFor();
    assert.equal(await phone.getAttribute('aria-invalid'), 'true');

    await phone.fill('+91 9876543210');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await dialog.getByText('A contact with this phone number already exists.').waitFor();
    assert.equal(await phone.getAttribute('aria-invalid'), 'true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await rowNames(page), ['Grace Hopper']);
  });

  step('editing a contact saves the new name', async (page) => {
    await page.getByRole('button', { name: 'Edit Grace Hopper' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit contact' });
    assert.equal(await dialog.getByLabel('Phone number').inputValue(), '+919876543210');
    await dialog.getByLabel('Name').fill('Grace B. Hopper');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Contact updated successfully');
    await table(page).getByText('Grace B. Hopper').waitFor();
  });

  step('search and the tag filter narrow the list', async (page) => {
    await createContact(page, { name: 'Alan Turing', phone: '+44 20 7946 0958', tags: 'research' });
    await table(page).getByText('Alan Turing').waitFor();
    assert.equal((await rowNames(page)).length, 2);
    await page.locator('.pager-summary', { hasText: 'Showing 1–2 of 2' }).waitFor();
    await screenshot(page, 'contacts');

    await page.getByLabel('Search').fill('hopper');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    assert.deepEqual(await rowNames(page), ['Grace B. Hopper']);
    await page.getByLabel('Search').fill('nobody-by-this-name');
    await page.getByText('No contacts match your search.').waitFor();
    await page.getByLabel('Search').fill('');
    await page.locator('.pager-summary', { hasText: 'Showing 1–2 of 2' }).waitFor();

    await table(page).getByRole('button', { name: 'research' }).click();
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    assert.deepEqual(await rowNames(page), ['Alan Turing']);
    assert.equal(await page.getByLabel('Tag').inputValue(), 'research');
    await page.getByLabel('Tag').fill('');
    await page.locator('.pager-summary', { hasText: 'Showing 1–2 of 2' }).waitFor();
  });

  step('deleting a contact asks first, then removes the row', async (page) => {
    await page.getByRole('button', { name: 'Delete Grace B. Hopper' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this contact?' });
    await dialog.getByRole('button', { name: 'Delete contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Contact deleted successfully');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    assert.deepEqual(await rowNames(page), ['Alan Turing']);
  });

  step('on a phone-sized screen the contacts table scrolls inside its card', async (page) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await table(page).getByText('Alan Turing').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375);
    await screenshot(page, 'contacts-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
}
