import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { createCatalogPage } from './support/factories';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';

jest.setTimeout(120_000);

const OUTPUT = path.resolve(__dirname, '../test-output/screenshots');

describe('the public form in a real browser', () => {
  let api: RunningApi;
  let browser: Browser;
  let client: Client;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    client = await db();
    api = await startApi();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await client?.end();
  });

  it('is filled in by label, corrected after an inline error, and lands on the status page', async () => {
    const page = await browser.newPage();
    // Anything the page logs but the expected 400 of the first, wrong submission: a CSP violation, a missing asset.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (!m.text().includes('status of 400')) problems.push(m.text());
    });
    const catalog = await createCatalogPage(client);
    const url = `https://example.com/d/${catalog.downloads[0].id}`;

    await page.goto(`${api.url}/notices/new`);
    await page.getByLabel('Full name').fill('Jane Roe');
    await page.getByLabel('Email').fill('jane at acme'); // wrong on purpose
    await page.getByLabel('authorised to act for the owner').check();
    await page.getByLabel("Copyright owner's name").fill('Acme Software Ltd');
    await page.getByLabel('Describe the work').fill('Acme Studio 5, a photo editor');
    await page.getByLabel('Links on our site, one per line').fill(`${url}\nhttps://mega.nz/file/${uniqueId()}`);
    await page.getByLabel('Search terms').fill('Acme Studio');
    await page.getByLabel(/I have a good faith belief/).check();
    await page.getByLabel(/under penalty of perjury/).check();
    await page.getByLabel('Signature: type your full legal name').fill('Jane Roe');
    await page.getByLabel('I agree to this use of my personal data.').check();
    await page.getByRole('button', { name: 'Submit notice' }).click();

    await page.getByText('Enter a valid email address').waitFor();
    expect(await page.getByLabel('Describe the work').inputValue()).toBe('Acme Studio 5, a photo editor');
    expect(await page.getByLabel(/under penalty of perjury/).isChecked()).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT, 'form-inline-error.png'), fullPage: true });

    await page.getByLabel('Email').fill('jane@acme-software.com');
    await page.getByRole('button', { name: 'Submit notice' }).click();
    await page.waitForURL(/\/status\/[A-Za-z0-9_-]{32}$/);
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    expect(heading).toMatch(/^Case DMCA-\d{4}-\d{6}$/);
    const links = page.locator('table.links');
    expect(await links.getByText(url).count()).toBe(1);
    expect(await links.locator('tr', { hasText: url }).textContent()).toContain('internal');
    expect(await links.locator('tr', { hasText: 'mega.nz' }).textContent()).toContain('external_disk (mega)');
    await page.screenshot({ path: path.join(OUTPUT, 'status-page.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
