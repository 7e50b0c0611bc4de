import type { INestApplicationContext } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { completeNoticeFrom, createCatalogPage } from './support/factories';
import { db, fileRoutedCase, type RunningApi, startApi, startWorker, uniquePrefix } from './support/harness';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(180_000);

const OUTPUT = path.resolve(__dirname, '../test-output');
const LAPTOP = { width: 1366, height: 768 };

/** The staff UI in Debian's chromium, against a real API and worker; takedowns wait for staff approval. */
describe('the staff UI in a real browser', () => {
  const prefix = uniquePrefix();
  const sender = `browser-${prefix}@rights.example.org`;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let browser: Browser;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
    browser = await launchBrowser();
    legal = await createStaff(client, 'legal');
    viewer = await createStaff(client, 'viewer');
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const notice = (urls: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> =>
    completeNoticeFrom(sender, urls, overrides);
  const routedCase = (body: Record<string, unknown>): Promise<{ reference: string; caseId: string }> =>
    fileRoutedCase(api, client, prefix, body);

  /** A page that records what must never happen on a staff page: dialogs, console errors (CSP reports), bad CSPs. */
  const watched = async (
    context: BrowserContext,
  ): Promise<{ page: Page; dialogs: string[]; problems: string[]; pages: string[] }> => {
    const page = await context.newPage();
    const seen = { page, dialogs: [] as string[], problems: [] as string[], pages: [] as string[] };
    page.on('dialog', (dialog) => {
      seen.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') seen.problems.push(message.text());
    });
    page.on('response', (response: Response) => {
      if (response.request().resourceType() !== 'document' || response.status() >= 300) return;
      const headers = response.headers();
      const csp = headers['content-security-policy'] ?? '';
      seen.pages.push(response.url());
      if (
        !csp.includes("default-src 'none'") ||
        /script-src[^;]*unsafe-inline/.test(csp) ||
        csp.includes('unsafe-inline')
      ) {
        seen.problems.push(`${response.url()} has the CSP ${csp}`);
      }
      if (new URL(response.url()).pathname.startsWith('/staff') && headers['cache-control'] !== 'no-store') {
        seen.problems.push(`${response.url()} may be cached: ${headers['cache-control']}`);
      }
    });
    return seen;
  };

  const signInThroughForm = async (page: Page, staff: StaffFixture): Promise<void> => {
    await page.goto(`${api.url}/staff/login`);
    await page.getByLabel('Email').fill(staff.email);
    await page.getByLabel('Password').fill(staff.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.url}/staff`);
  };

  /** The whole page from its top: the case page's action column is sticky, and would follow the scroll. */
  const screenshot = async (page: Page, name: string): Promise<void> => {
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(OUTPUT, name), fullPage: true });
  };

  const caseStatus = async (page: Page): Promise<string> =>
    (await page.locator('.case-head h1 .badge').textContent())?.trim() ?? '';

  it('lets a legal user filter the queue, request information, and approve a takedown that the worker carries out', async () => {
    const deficient = await routedCase(
      notice([`https://example.com/software/browser-${prefix}`], { goodFaith: false }),
    );
    const catalog = await createCatalogPage(client);
    const complete = await routedCase(notice([`https://example.com/d/${catalog.downloads[0].id}`]));

    const context = await browser.newContext({ viewport: LAPTOP });
    const { page, dialogs, problems, pages } = await watched(context);
    await signInThroughForm(page, legal);
    const nav = page.getByRole('navigation', { name: 'Staff pages' });
    expect(await nav.getByRole('link', { name: 'Queue', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Queues dashboard' }).getAttribute('href')).toBe('/staff/queues');
    expect(await page.getByText(`You are signed in as ${legal.name} (legal)`).count()).toBe(1);

    // The queue, filtered to deficient cases through the form.
    await page.getByLabel('Search').fill(sender);
    await page.getByLabel('Missing element').selectOption('any');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/missing=any/);
    const table = page.locator('table.queue');
    await table.getByRole('link', { name: deficient.reference }).waitFor();
    expect(await table.getByRole('link', { name: complete.reference }).count()).toBe(0);
    expect(await table.locator('tr', { hasText: deficient.reference }).locator('.missing-list').textContent()).toBe(
      'good_faith',
    );
    await page.screenshot({ path: path.join(OUTPUT, 'staff-queue.png'), fullPage: true });

    // The deficient case: back to review, then ask the sender for what is missing.
    await table.getByRole('link', { name: deficient.reference }).click();
    await page.waitForURL(`${api.url}/staff/cases/${deficient.reference}`);
    expect(await caseStatus(page)).toBe('needs_info');
    await page.getByLabel('Move to').selectOption('in_review');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByText('Moved to in_review.').waitFor();
    expect(await caseStatus(page)).toBe('in_review');
    expect(await page.getByRole('checkbox', { name: 'good_faith' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'signature' }).isChecked()).toBe(false);
    await page.getByLabel('Message added to the letter').fill('Please add the good-faith statement.');
    await page.getByRole('button', { name: 'Request information' }).click();
    await page.getByText('Asked the sender for more information').waitFor();
    expect(await caseStatus(page)).toBe('needs_info');
    const request = page.locator('table.audit tr', { hasText: 'Information requested' });
    expect(await request.count()).toBe(1);
    expect(await request.textContent()).toContain(legal.name);
    expect(await request.textContent()).toContain('Please add the good-faith statement.');
    const letters = page.locator('table.letters tbody.letter', { hasText: 'deficiency' });
    expect(await letters.count()).toBeGreaterThanOrEqual(2);
    await letters.last().getByText('Letter text').click();
    expect(await letters.last().locator('pre.letter-text').textContent()).toContain(
      'Please add the good-faith statement.',
    );
    await screenshot(page, 'staff-case.png');

    // The complete case: approve its takedown, and watch the worker take the download down.
    await page.goto(`${api.url}/staff/cases/${complete.reference}`);
    expect(await caseStatus(page)).toBe('in_review');
    const link = page.locator('table.links tr', { hasText: `/d/${catalog.downloads[0].id}` });
    expect(await link.locator('.badge').textContent()).toBe('pending');
    await page.getByRole('button', { name: 'Approve all pending' }).click();
    await page.getByText('Approved 1 link for takedown').waitFor();
    expect(await caseStatus(page)).toBe('actioned');
    // Bounded at 90 s: the sweep and the approval job can deadlock on the case row (takedown-sweep.service locks the
    // takedown, then the case; applyApproval the case, then the takedown), and the sweep then retries after 60 s.
    let status = '';
    for (let i = 0; i < 180 && status !== 'taken_down'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      await page.reload();
      status = (await link.locator('.badge').textContent()) ?? '';
    }
    expect(status).toBe('taken_down');
    expect(await page.locator('table.audit tr', { hasText: 'Takedowns done' }).count()).toBe(1);
    const download = await fetch(`${api.url}/d/${catalog.downloads[0].id}`, { redirect: 'manual' });
    expect(download.status).toBe(451);
    await screenshot(page, 'staff-case-approved.png');

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(pages.length).toBeGreaterThan(5);
    await context.close();
  });

  it('shows a hostile notice as inert text: no script runs, no markup is made, the javascript: URL is no link', async () => {
    const payload = '<script>window.__pwned=1</script>';
    const image = '<img src=x onerror="window.__pwned=2">';
    const text = [
      'Dear DMCA agent,',
      `The work ${payload} is copied at https://example.com/software/hostile-${prefix} and ${image}.`,
      'Also here: javascript:alert(1)',
      'I have a good faith belief that use of the material is not authorized by the copyright owner.',
      'Signed, Jane Roe',
    ].join('\n');
    const { reference } = await routedCase(
      notice(['javascript:alert(1)', `https://example.com/software/hostile-${prefix}`], {
        text,
        complainant: {
          name: `<img src=x onerror="window.__pwned=3">`,
          email: sender,
          role: 'agent',
          ownerName: '<b>Acme</b>',
        },
      }),
    );

    const context = await browser.newContext({ viewport: LAPTOP });
    const { page, dialogs, problems } = await watched(context);
    await signInThroughForm(page, legal);
    await page.goto(`${api.url}/staff/cases/${reference}`);

    const shown = page.locator('.notice-text');
    expect(await shown.textContent()).toContain(payload);
    expect(await shown.textContent()).toContain(image);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);
    expect(await page.getByText('<img src=x onerror="window.__pwned=3">').count()).toBeGreaterThan(0);
    // The javascript: URL is listed, as text, and nothing on the page links to it.
    const row = page.locator('table.links tr', { hasText: 'javascript:alert(1)' });
    expect(await row.locator('.inert-url').textContent()).toBe('javascript:alert(1)');
    expect(await row.locator('a').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => !/^(\/|https?:\/\/|#)/i.test(h))).toEqual([]);
    // The http(s) link is a link.
    const safe = page.locator('table.links a', { hasText: `https://example.com/software/hostile-${prefix}` });
    expect(await safe.getAttribute('href')).toBe(`https://example.com/software/hostile-${prefix}`);
    // Evidence is marked where it stands in the text.
    expect(await shown.locator('mark.ev-good_faith').count()).toBeGreaterThan(0);
    await screenshot(page, 'staff-case-hostile.png');

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a viewer the queue and the case but no form to act with', async () => {
    const { reference } = await routedCase(notice([`https://example.com/software/viewer-${prefix}`]));
    const context = await browser.newContext({ viewport: LAPTOP });
    const { page, problems } = await watched(context);
    await signInThroughForm(page, viewer);
    expect(await page.getByText(`You are signed in as ${viewer.name} (viewer)`).count()).toBe(1);
    const actionForms = page.locator('form[method="post"]:not([action="/staff/logout"])');

    await page.goto(`${api.url}/staff?q=${encodeURIComponent(sender)}`);
    await page.locator('table.queue').getByRole('link', { name: reference }).waitFor();
    expect(await actionForms.count()).toBe(0);
    expect(await page.locator('input[name="references"]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Queues dashboard' }).count()).toBe(0);

    await page.locator('table.queue').getByRole('link', { name: reference }).click();
    await page.waitForURL(`${api.url}/staff/cases/${reference}`);
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    expect(await actionForms.count()).toBe(0);
    expect(await page.locator('input[name="linkIds"], textarea, select').count()).toBe(0);
    expect(await page.getByText('read-only access').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
