import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { takenDownCase, uploaderDetails } from './support/counter-notice-form';
import { TEST_REDIS_URL } from './support/env';
import { db, drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { openedRows } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

const MISTAKE =
  'I swear, under penalty of perjury, that I have a good faith belief that the material identified above was removed or disabled as a result of a mistake or misidentification of the material to be removed or disabled.';
const CONSENT =
  'I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located, or, if my address is outside the United States, for any judicial district in which the service provider may be found, and I will accept service of process from the person who provided notification under subsection (c)(1)(C) or an agent of such person.';

/** The form as a browser without JavaScript uses it: a GET, a cookie, a urlencoded POST. */
async function openForm(api: RunningApi, query = ''): Promise<{ csrf: string; cookie: string; html: string }> {
  const res = await fetch(`${api.url}/counter-notices/new${query}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!csrf || !cookie) throw new Error('The form carries no CSRF token');
  return { csrf, cookie, html };
}

function submit(api: RunningApi, cookie: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${api.url}/counter-notices`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields).toString(),
  });
}

const complete = (csrf: string, reference: string, url: string, who = uploaderDetails()): Record<string, string> => ({
  _csrf: csrf,
  caseReference: reference,
  ...who,
  removedUrls: url,
  mistakeStatement: 'yes',
  consentToJurisdiction: 'yes',
  signature: who.name,
});

/**
 * The public counter-notice form against a case whose download the worker took down: the prefill from the links in
 * the uploader's letter and the 451 page, CSRF, inline errors, and a complete counter-notice forwarded with the
 * 512(g)(2)(C) dates. Real Postgres, Redis, SMTP and worker.
 */
describe('the public counter-notice form', () => {
  const prefix = uniquePrefix();
  const complainant = `rights-${uniqueId()}@holder.test`;
  let client: Client;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let sink: SmtpSink;

  const written = async (caseId: string) =>
    (
      await client.query(
        `SELECT (SELECT count(*)::int FROM counter_notices WHERE case_id = $1) AS counter_notices,
                (SELECT count(*)::int FROM notices WHERE case_id = $1) AS notices`,
        [caseId],
      )
    ).rows[0];

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    const env = { QUEUE_PREFIX: prefix, SMTP_URL: sink.url, SLA_TIMEZONE: 'UTC', SLA_HOLIDAYS: '' };
    worker = await startWorker(env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await sink?.stop();
    await client?.end();
  });

  it('is prefilled from the link in the letter, with the statements in full and what is sent to whom', async () => {
    const { url, reference } = await takenDownCase(api, client, prefix, complainant);
    const other = `https://example.com/d/${uniqueId()}`;
    const query = `?${new URLSearchParams([
      ['case', reference],
      ['url', url],
      ['url', other],
    ]).toString()}`;
    const { html } = await openForm(api, query);
    expect(html).toContain(`name="caseReference" value="${reference}"`);
    expect(html).toMatch(new RegExp(`name="removedUrls"[^>]*>${url}\n${other}</textarea>`));
    for (const id of ['caseReference', 'removedUrls', 'name', 'email', 'phone', 'address', 'country', 'signature']) {
      expect(html).toContain(`<label for="${id}"`);
    }
    expect(html).toContain('<label for="explanation">Explanation (optional)</label>');
    expect(html.replace(/\s+/g, ' ')).toContain(MISTAKE);
    expect(html.replace(/\s+/g, ' ')).toContain(CONSENT);
    expect(html.replace(/\s+/g, ' ')).toContain(
      'including your name, street address, telephone number and email address, to the person who sent the copyright notice',
    );
    expect(html).toContain('512(f)');
    expect(html).toContain('knowingly materially misrepresents');
    expect(html).not.toContain('<script');

    // What the query says is shown back escaped, never as markup.
    const hostile = await openForm(api, `?case=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(hostile.html).not.toContain('<script>alert(1)</script>');
    expect(hostile.html).toContain('value="&quot;&gt;&lt;script&gt;');
  });

  it('refuses a post with a CSRF token that is not its cookie (403) and writes nothing', async () => {
    const { url, reference, caseId } = await takenDownCase(api, client, prefix, complainant);
    const { csrf } = await openForm(api);
    const before = await written(caseId);
    const res = await submit(api, 'td_csrf=someone-elses-token-aaaaaaaaaaaaaaaaaaaaa', complete(csrf, reference, url));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your session expired');
    const forged = await openForm(api);
    // A token of its own in the cookie, another's in the form.
    const mismatched = await submit(api, forged.cookie, complete(csrf, reference, url));
    expect(mismatched.status).toBe(403);
    expect(await written(caseId)).toEqual(before);
    expect(before).toEqual({ counter_notices: 0, notices: 1 });
  });

  it('shows what a deficient counter-notice lacks on each field, keeps what was typed, and writes nothing', async () => {
    const { url, reference, caseId } = await takenDownCase(api, client, prefix, complainant);
    const { csrf, cookie } = await openForm(api);
    const fields = {
      ...complete(csrf, reference, url),
      email: 'up at site-user',
      phone: '',
      consentToJurisdiction: '',
      explanation: 'The program is my own; I wrote it in 2019.',
    };
    const res = await submit(api, cookie, fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please correct the fields marked below.');
    expect(html).toContain('<p class="error" id="email-error">Enter a valid email address');
    expect(html).toContain('<p class="error" id="phone-error">Enter a telephone number');
    expect(html).toContain('<p class="error" id="consentToJurisdiction-error">A counter-notice needs this consent.');
    expect(html).toContain('aria-invalid="true" aria-describedby="email-error"');
    expect(html).toContain('value="up at site-user"');
    expect(html).toContain(`value="${reference}"`);
    expect(html).toContain('>1 Main Street, Springfield, IL 62701</textarea>');
    expect(html).toMatch(new RegExp(`name="removedUrls"[^>]*>${url}</textarea>`));
    expect(html).toContain('>The program is my own; I wrote it in 2019.</textarea>');
    expect(html).toMatch(/name="mistakeStatement" value="yes" checked/);
    expect(html).toMatch(/name="consentToJurisdiction" value="yes"(?!\s*checked)/);
    expect(await written(caseId)).toEqual({ counter_notices: 0, notices: 1 });

    // An explanation over the DTO's limit is a 400 that names its field.
    const long = await submit(api, cookie, { ...complete(csrf, reference, url), explanation: 'x'.repeat(100_001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(
      '<p class="error" id="explanation-error">This field must be shorter than or equal to 100000 characters.',
    );
    expect(await written(caseId)).toEqual({ counter_notices: 0, notices: 1 });

    // A body over MAX_BODY_BYTES (5 MiB here) never reaches the form: the body parser refuses it with a 413.
    const huge = await submit(api, cookie, { ...complete(csrf, reference, url), explanation: 'x'.repeat(6 << 20) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { message: string }).message).toContain('over the limit');
    expect(await written(caseId)).toEqual({ counter_notices: 0, notices: 1 });
  });

  it('shows the form again (422) when no case can be found, with what was typed', async () => {
    const { csrf, cookie } = await openForm(api);
    const stranger = `https://example.com/d/${uniqueId()}`;
    const res = await submit(api, cookie, { ...complete(csrf, 'DMCA-1999-999999', stranger), name: 'Ann Other' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('We could not find the case this counter-notice is about.');
    expect(html).toContain('<p class="error" id="caseReference-error">We have no case DMCA-1999-999999');
    expect(html).toContain('value="Ann Other"');
    expect(html).toContain(`${stranger}</textarea>`);
  });

  it('forwards a complete counter-notice and shows its status, the restore dates and its status link', async () => {
    const { url, reference, caseId } = await takenDownCase(api, client, prefix, complainant);
    const who = uploaderDetails();
    const { csrf, cookie } = await openForm(api, `?case=${reference}&url=${encodeURIComponent(url)}`);
    const res = await submit(api, cookie, {
      ...complete(csrf, reference, url, who),
      explanation: 'The program is my own; I wrote it in 2019.',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();

    const { rows } = await client.query(
      `SELECT n.status, n.channel, n.status_token, n.notifier_phone, n.notifier_country, n.removed_urls,
              n.restore_not_before, n.restore_not_after, n.restore_due_at, t.raw_text
       FROM counter_notices n JOIN notices t ON t.id = n.notice_id WHERE n.case_id = $1`,
      [caseId],
    );
    await openedRows(client, rows, ['notifier_phone', 'notifier_country', 'raw_text']);
    expect(rows).toEqual([
      expect.objectContaining({
        status: 'forwarded',
        channel: 'form',
        notifier_phone: who.phone,
        notifier_country: 'United States',
        removed_urls: [url],
        raw_text: 'The program is my own; I wrote it in 2019.',
      }),
    ]);
    const [row] = rows;
    const day = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(html).toContain(`<h1>Counter-notice for case ${reference}</h1>`);
    expect(html).toContain('Status: <strong>Forwarded to the complainant</strong>');
    expect(html.replace(/\s+/g, ' ')).toContain(
      `we put the material back on ${day(row.restore_due_at)}: not before ${day(row.restore_not_before)}, and no later than ${day(row.restore_not_after)}`,
    );
    expect(html).toContain(`http://localhost:3000/counter-notices/status/${row.status_token}`);
    expect(html).not.toContain('What is missing');
    expect(html).not.toContain('What is wrong');

    // The JSON API answers the status link the page gives.
    const status = await fetch(`${api.url}/api/v1/counter-notices/status/${row.status_token}`);
    expect(await status.json()).toMatchObject({ reference, status: 'forwarded' });

    // 512(g)(2)(B): the complainant gets a copy with the counter-notifier's details and the explanation.
    await drain(client, TEST_REDIS_URL, prefix);
    const forward = await waitFor('the forward to the complainant', () =>
      Promise.resolve(
        sink.to(complainant).find((m) => m.parsed.subject?.includes(reference) && m.parsed.text?.includes(who.phone)),
      ),
    );
    expect(forward.parsed.text).toContain(who.address);
    expect(forward.parsed.text).toContain('The program is my own; I wrote it in 2019.');
    await waitFor('the receipt to the counter-notifier', () => Promise.resolve(sink.to(who.email)[0]));
  });

  it('says what is wrong with a complete counter-notice that names a link this case did not take down', async () => {
    const { url, reference, caseId } = await takenDownCase(api, client, prefix, complainant);
    const stranger = `https://example.com/d/${uniqueId()}`;
    const { csrf, cookie } = await openForm(api);
    const res = await submit(api, cookie, { ...complete(csrf, reference, url), removedUrls: `${url}\n${stranger}` });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain('Status: <strong>Complete; our staff review it before it is forwarded</strong>');
    expect(html).toContain('<h2>What is wrong</h2>');
    expect(html).toContain(`<li>${stranger} was not taken down under case ${reference}.</li>`);
    expect(html).not.toContain('When the material is put back');
    const { rows } = await client.query(`SELECT status FROM counter_notices WHERE case_id = $1`, [caseId]);
    expect(rows).toEqual([{ status: 'in_review' }]);

    // A link in the explanation (the uploader's own site) is not read as removed material: the listed URLs are.
    const again = await takenDownCase(api, client, prefix, complainant);
    const own = `https://github.com/up-loader/app-${uniqueId()}`;
    const explained = await submit(api, cookie, {
      ...complete(csrf, again.reference, again.url),
      explanation: `I wrote it; its source is at ${own}`,
    });
    expect(explained.status).toBe(201);
    expect(await explained.text()).not.toContain(`${own} was not taken down`);
    const forwarded = await client.query(`SELECT status, removed_urls FROM counter_notices WHERE case_id = $1`, [
      again.caseId,
    ]);
    expect(forwarded.rows).toEqual([{ status: 'forwarded', removed_urls: [again.url] }]);
  });

  it('limits how many counter-notices one address may post', async () => {
    // An API of its own, so that no other test has used up the quota.
    const limited = await startApi({ QUEUE_PREFIX: prefix, FORM_RATE_LIMIT: '3' });
    try {
      const { csrf, cookie } = await openForm(limited);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await submit(limited, cookie, { _csrf: csrf, name: 'Up Loader' })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
