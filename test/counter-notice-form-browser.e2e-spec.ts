import type { INestApplicationContext } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { takenDownCase, uploaderDetails } from './support/counter-notice-form';
import { db, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix } from './support/harness';

jest.setTimeout(120_000);

const OUTPUT = path.resolve(__dirname, '../test-output/screenshots');

describe('the public counter-notice form in a real browser', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let browser: Browser;
  let client: Client;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    client = await db();
    const env = { QUEUE_PREFIX: prefix, SLA_TIMEZONE: 'UTC', SLA_HOLIDAYS: '' };
    worker = await startWorker(env);
    api = await startApi(env);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await worker?.close();
    await client?.end();
  });

  it('opens prefilled from the letter, is corrected after an inline error, and shows the forwarded counter-notice', async () => {
    const { url, reference, caseId } = await takenDownCase(api, client, prefix, `rights-${uniqueId()}@holder.test`);
    const who = uploaderDetails();
    const page = await browser.newPage();
    // Anything the page logs but the expected 400 of the first, wrong submission: a CSP violation, a missing asset.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (!m.text().includes('status of 400')) problems.push(m.text());
    });

    await page.goto(`${api.url}/counter-notices/new?case=${reference}&url=${encodeURIComponent(url)}`);
    expect(await page.getByLabel('Case reference').inputValue()).toBe(reference);
    expect(await page.getByLabel('Addresses (URLs) of the removed material').inputValue()).toBe(url);
    await page.getByLabel('Full name').fill(who.name);
    await page.getByLabel('Email').fill('up at site-user'); // wrong on purpose
    await page.getByLabel('Telephone').fill(who.phone);
    await page.getByLabel('Street address').fill(who.address);
    await page.getByLabel('Country').fill(who.country);
    await page.getByLabel(/I swear, under penalty of perjury/).check();
    await page.getByLabel(/I consent to the jurisdiction of the Federal District Court/).check();
    await page.getByLabel('Explanation (optional)').fill('The program is my own; I wrote it in 2019.');
    await page.getByLabel('Signature: type your full legal name').fill(who.name);
    await page.getByRole('button', { name: 'Submit counter-notice' }).click();

    await page.getByText('Enter a valid email address').waitFor();
    expect(await page.getByLabel('Explanation (optional)').inputValue()).toBe(
      'The program is my own; I wrote it in 2019.',
    );
    expect(await page.getByLabel(/I swear, under penalty of perjury/).isChecked()).toBe(true);
    expect(await page.getByLabel('Addresses (URLs) of the removed material').inputValue()).toBe(url);
    await page.screenshot({ path: path.join(OUTPUT, 'counter-notice-form-inline-error.png'), fullPage: true });

    await page.getByLabel('Email').fill(who.email);
    await page.getByRole('button', { name: 'Submit counter-notice' }).click();
    await page.getByRole('heading', { level: 1, name: `Counter-notice for case ${reference}` }).waitFor();
    expect(await page.locator('.status strong').textContent()).toBe('Forwarded to the complainant');
    expect(await page.getByRole('heading', { name: 'When the material is put back' }).count()).toBe(1);
    const { rows } = await client.query(`SELECT status, status_token FROM counter_notices WHERE case_id = $1`, [
      caseId,
    ]);
    expect(rows).toEqual([expect.objectContaining({ status: 'forwarded' })]);
    expect(await page.getByRole('link', { name: /\/counter-notices\/status\// }).getAttribute('href')).toBe(
      `http://localhost:3000/counter-notices/status/${rows[0].status_token}`,
    );
    await page.screenshot({ path: path.join(OUTPUT, 'counter-notice-result.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
