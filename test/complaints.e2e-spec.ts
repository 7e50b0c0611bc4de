import { Test, type TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { CLOCK } from '../src/core/clock';
import { MAIL_DNS_RESOLVER } from '../src/email-intake/sender-auth.service';
import { WorkerModule } from '../src/worker.module';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import { db, drain, type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { fakeResolver } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { createStaff, type StaffFixture } from './support/staff';
import { StaffBrowser } from './support/staff-browser';

jest.setTimeout(120_000);

const DAY = 24 * 60 * 60 * 1000;

/**
 * Complaints against decisions (DSA Art. 20), end to end: an uploader's complaint that reverses a removal and puts the
 * link back, a rejected complainant's complaint that re-opens the case (decided by another person than the one who
 * rejected it), the six-month window on the clock, and the form in the sender's language. Real Postgres, Redis,
 * SMTP, the worker and the built-in catalog.
 */
describe('complaints against decisions', () => {
  const prefix = uniquePrefix();
  const complainant = `rights-${uniqueId()}@holder.test`;
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  let client: Client;
  let api: RunningApi;
  let worker: TestingModule;
  let sink: SmtpSink;
  let legal: StaffFixture;
  let otherLegal: StaffFixture;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    const env = { QUEUE_PREFIX: prefix, SMTP_URL: sink.url };
    applyTestEnv(env);
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(MAIL_DNS_RESOLVER)
      .useValue(fakeResolver)
      .overrideProvider(CLOCK)
      .useValue(now)
      .compile();
    worker.useLogger(['error']);
    await worker.init();
    api = await startApi(env, { clock: now });
    legal = await createStaff(client, 'legal');
    otherLegal = await createStaff(client, 'legal');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const as = (who: StaffFixture) => ({ authorization: `Bearer ${who.token}` });
  const status = async (path: string) => (await fetch(`${api.url}${path}`, { redirect: 'manual' })).status;
  const mailTo = (email: string, subject: string) =>
    waitFor(`a letter to ${email} about "${subject}"`, () =>
      Promise.resolve(sink.to(email).find((m) => m.parsed.subject?.includes(subject))),
    );
  const textOf = (mail: { parsed: { text?: string } }) => (mail.parsed.text ?? '').replace(/\s+/g, ' ');

  /** A removal of one of the uploader's downloads, and the uploader's status token from their letter. */
  const removal = async (sender = complainant) => {
    const n = uniqueId();
    const uploader = { id: `acct-${n}`, email: `uploader-${n}@site-user.test` };
    const page = await createCatalogPage(client, { uploaderEmail: uploader.email, uploaderId: uploader.id });
    const download = `/d/${page.downloads[0].id}`;
    const filed = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(sender, [`https://example.com${download}`]),
    );
    expect(filed.status).toBe(201);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be removed', async () => (await status(download)) === 451);
    await drain(client, TEST_REDIS_URL, prefix);
    const letter = await mailTo(uploader.email, `[${filed.body.reference}] Content you published`);
    const token = /\/uploader\/([A-Za-z0-9_-]{20,})/.exec(textOf(letter))![1];
    return {
      uploader,
      download,
      token,
      caseId: filed.body.caseId as string,
      reference: filed.body.reference as string,
      statusToken: (filed.body.statusUrl as string).split('/').pop()!,
    };
  };

  /** Files the complaint through the complainant's status link, and has `decider` reverse it. */
  const reversedOnComplaint = async (token: string, subject: string, text: string, decider: StaffFixture) => {
    const filed = await postJson(api.url, `/api/v1/status/${token}/complaints`, { subject, text });
    expect(filed.status).toBe(201);
    const decided = await postJson(
      api.url,
      `/api/v1/staff/complaints/${filed.body.id}/decision`,
      { outcome: 'reversed', reason: `Reversed: ${text}` },
      as(decider),
    );
    expect(decided.status).toBe(200);
    return filed.body;
  };

  it("reverses a removal on the uploader's complaint: the link is back, the strike voided, the uploader told", async () => {
    const { uploader, download, token, caseId, reference } = await removal();
    // Only what this link may contest, and with words.
    const wrong = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, { subject: 'rejection', text: 'x' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toContain('Through this link you may contest: removal, strike, termination');
    const empty = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, { subject: 'removal', text: '' });
    expect(empty.status).toBe(400);
    expect(
      (await postJson(api.url, `/api/v1/uploader/${'x'.repeat(30)}/complaints`, { subject: 'removal', text: 'x' }))
        .status,
    ).toBe(404);

    const filed = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, {
      subject: 'removal',
      text: 'This is my own build of the open-source release; the licence is on the page.',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ reference, by: 'uploader', subject: 'removal', status: 'received' });
    const twice = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, {
      subject: 'removal',
      text: 'again',
    });
    expect(twice.status).toBe(409);
    await drain(client, TEST_REDIS_URL, prefix);
    await mailTo(uploader.email, `[${reference}] Your complaint is received`);
    // Their words are sealed in the row, and the audit log holds none of them.
    const { rows } = await client.query(`SELECT text FROM complaints WHERE id = $1`, [filed.body.id]);
    expect(rows[0].text).toMatch(/^pd1\./);

    const list = await fetch(`${api.url}/api/v1/staff/complaints`, { headers: as(legal) });
    expect(((await list.json()) as any[]).map((c) => c.id)).toContain(filed.body.id);
    const detail = (await (
      await fetch(`${api.url}/api/v1/staff/complaints/${filed.body.id}`, { headers: as(legal) })
    ).json()) as any;
    expect(detail.text).toContain('open-source release');

    const review = await postJson(api.url, `/api/v1/staff/complaints/${filed.body.id}/review`, {}, as(legal));
    expect(review.body.status).toBe('in_review');
    const decided = await postJson(
      api.url,
      `/api/v1/staff/complaints/${filed.body.id}/decision`,
      { outcome: 'reversed', reason: 'The page carries the GPL licence and the source; the notice was mistaken.' },
      as(legal),
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'reversed', decidedBy: legal.id });
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be back', async () => (await status(download)) === 302);
    const strikes = await client.query(`SELECT void_reason FROM strikes WHERE case_id = $1 AND uploader_id = $2`, [
      caseId,
      uploader.id,
    ]);
    expect(strikes.rows).toEqual([{ void_reason: 'complaint_upheld' }]);
    const answer = textOf(await mailTo(uploader.email, `[${reference}] Our decision on your complaint`));
    expect(answer).toContain('reversed the decision');
    expect(answer).toContain('The page carries the GPL licence');
    expect(answer).toContain('out-of-court dispute settlement body');
    const again = await postJson(
      api.url,
      `/api/v1/staff/complaints/${filed.body.id}/decision`,
      { outcome: 'upheld', reason: 'x' },
      as(legal),
    );
    expect(again.status).toBe(409);
  });

  it("re-opens a rejected case on the complainant's complaint, decided by someone other than who rejected it", async () => {
    const filed = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(complainant, [`https://example.com/d/${uniqueId()}`], { goodFaith: false }),
    );
    expect(filed.status).toBe(201);
    const { reference, caseId } = filed.body;
    const token = filed.body.statusUrl.split('/').pop();
    await drain(client, TEST_REDIS_URL, prefix);
    // Nothing rejected yet: nothing to contest.
    const early = await postJson(api.url, `/api/v1/status/${token}/complaints`, { subject: 'rejection', text: 'x' });
    expect(early.status).toBe(422);
    const rejected = await postJson(
      api.url,
      `/api/v1/staff/cases/${reference}/reject`,
      { reason: 'The notice names no work of yours.' },
      as(legal),
    );
    expect(rejected.status).toBe(200);
    const complaint = await postJson(api.url, `/api/v1/status/${token}/complaints`, {
      subject: 'rejection',
      text: 'The work is named in the attachment: Acme Studio 5.',
    });
    expect(complaint.status).toBe(201);
    expect(complaint.body.decisionBy).toBe(legal.id);
    // The person who rejected it does not decide the complaint while the team has another.
    const self = await postJson(
      api.url,
      `/api/v1/staff/complaints/${complaint.body.id}/decision`,
      { outcome: 'reversed', reason: 'x' },
      as(legal),
    );
    expect(self.status).toBe(409);
    expect(self.body.message).toContain('another member of the team decides it');
    const decided = await postJson(
      api.url,
      `/api/v1/staff/complaints/${complaint.body.id}/decision`,
      { outcome: 'reversed', reason: 'The work was identified in the attachment.' },
      as(otherLegal),
    );
    expect(decided.status).toBe(200);
    const { rows } = await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId]);
    expect(rows[0].status).toBe('in_review');
    await drain(client, TEST_REDIS_URL, prefix);
    const answer = textOf(await mailTo(complainant, `[${reference}] Our decision on your complaint`));
    expect(answer).toContain('Your notice is open again');
    expect(answer).toContain(`/status/${token}`);
  });

  it('refuses a complaint lodged more than six months after the person was told, saying until when it could be', async () => {
    const { token } = await removal();
    clock.offsetMs = 200 * DAY;
    try {
      const late = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, {
        subject: 'removal',
        text: 'late',
      });
      expect(late.status).toBe(422);
      expect(late.body.message).toMatch(/could be lodged until \d{4}-\d{2}-\d{2}, six months later/);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("serves the form in the reader's language and files it from the page", async () => {
    const { token, reference } = await removal();
    const page = await fetch(`${api.url}/uploader/${token}/complaints/new?lang=zh-Hans`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('对决定提出申诉');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const form = (fields: Record<string, string>) =>
      fetch(`${api.url}/uploader/${token}/complaints?lang=zh-Hans`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(fields).toString(),
      });
    const forged = await form({ _csrf: 'forged', subject: 'strike', text: '理由' });
    expect(forged.status).toBe(403);
    const sent = await form({ _csrf: csrf, subject: 'strike', text: '这是我自己开发的软件。' });
    expect(sent.status).toBe(201);
    expect(await sent.text()).toContain('我们已收到您的申诉');
    const uploaderPage = await (await fetch(`${api.url}/uploader/${token}`)).text();
    expect(uploaderPage).toContain(`/uploader/${token}/complaints/new`);
    const lodged = (await (await fetch(`${api.url}/api/v1/uploader/${token}/complaints`)).json()) as any[];
    expect(lodged).toEqual([expect.objectContaining({ reference, subject: 'strike', status: 'received' })]);
  });

  it('shows complaints on the staff case page, where a person decides one with reasons', async () => {
    const { token, reference } = await removal();
    const filed = await postJson(api.url, `/api/v1/uploader/${token}/complaints`, {
      subject: 'strike',
      text: 'I had a licence for this build.',
    });
    expect(filed.status).toBe(201);
    const asLegal = await StaffBrowser.signIn(api.url, legal);
    const page = await asLegal.get(`/staff/cases/${reference}`);
    expect(page.html).toContain('Complaints against decisions (1)');
    expect(page.html).toContain('I had a licence for this build.');
    const path = `/staff/cases/${reference}/complaints/${filed.body.id}/decision`;
    const noReason = await asLegal.post(path, { outcome: 'upheld', reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('Write the reasons in Reason');
    const decided = await asLegal.submit(path, {
      outcome: 'upheld',
      reason: 'The licence does not cover redistribution.',
    });
    expect(decided.html).toContain('Complaint decided: the decision stands');
    expect(decided.html).toContain('“The licence does not cover redistribution.”');
    const { rows } = await client.query(`SELECT status FROM complaints WHERE id = $1`, [filed.body.id]);
    expect(rows[0].status).toBe('upheld');
  });

  it('lets a complainant contest a restoration: reversed by another person, the case is back in review', async () => {
    const sender = `restored-${uniqueId()}@holder.test`;
    const { caseId, reference, download, statusToken } = await removal(sender);
    const early = await postJson(api.url, `/api/v1/status/${statusToken}/complaints`, {
      subject: 'restoration',
      text: 'x',
    });
    expect(early.status).toBe(422);
    expect(early.body.message).toContain('there is no restoration to contest');
    const taken = await client.query(`SELECT id FROM reported_links WHERE case_id = $1 AND status = 'taken_down'`, [
      caseId,
    ]);
    const restored = await postJson(
      api.url,
      `/api/v1/staff/cases/${reference}/restore`,
      { linkIds: taken.rows.map((r) => r.id), reason: 'Counter-notice received; no suit was notified in time.' },
      as(legal),
    );
    expect(restored.status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be back', async () => (await status(download)) === 302);

    const complaint = await reversedOnComplaint(
      statusToken,
      'restoration',
      'We filed suit on the ninth business day; the docket number is in our reply.',
      otherLegal,
    );
    expect(complaint.decisionBy).toBe(legal.id);
    const { rows } = await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId]);
    expect(rows[0].status).toBe('in_review');
    // Nothing goes back down without a person's new approval.
    expect(await status(download)).toBe(302);
    await drain(client, TEST_REDIS_URL, prefix);
    const answer = textOf(await mailTo(sender, `[${reference}] Our decision on your complaint`));
    expect(answer).toContain('review the restored material anew');
  });

  it("lets a notifier contest its warning and its suspension from a case's status page, and undoes each", async () => {
    const sender = `suspended-${uniqueId()}@holder.test`;
    const filed = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(sender, [`https://example.com/software/nothing-${uniqueId()}`]),
    );
    expect(filed.status).toBe(201);
    const token = (filed.body.statusUrl as string).split('/').pop()!;
    await drain(client, TEST_REDIS_URL, prefix);
    const kase = (await (
      await fetch(`${api.url}/api/v1/staff/cases/${filed.body.reference}/notifier`, { headers: as(legal) })
    ).json()) as any;
    const key = kase.notifier.key as string;
    const notifier = `/api/v1/staff/notifiers/${encodeURIComponent(key)}`;
    const none = await postJson(api.url, `/api/v1/status/${token}/complaints`, {
      subject: 'notifier_suspension',
      text: 'x',
    });
    expect(none.status).toBe(422);
    expect((await postJson(api.url, `${notifier}/warning`, { reason: 'Unfounded notices' }, as(legal))).status).toBe(
      200,
    );
    const suspended = await postJson(api.url, `${notifier}/suspension`, { reason: 'Again', days: 30 }, as(legal));
    expect(suspended.body.status).toBe('suspended');
    await drain(client, TEST_REDIS_URL, prefix);
    const letter = textOf(await mailTo(sender, 'We suspended the processing of your notices'));
    expect(letter).toContain(`/status/${token}/complaints/new`);
    const page = await (await fetch(`${api.url}/status/${token}/complaints/new`)).text();
    expect(page).toContain('value="notifier_suspension"');

    // While suspended, its other complaints are kept but not processed (DSA Art. 23(1)); one against the
    // suspension itself is taken up.
    const held = await postJson(api.url, `/api/v1/status/${token}/complaints`, {
      subject: 'notifier_warning',
      text: 'The earlier notices were sound too.',
    });
    expect(held.status).toBe(201);
    expect(held.body.heldUntil).toBe(suspended.body.suspendedUntil);
    const early = await postJson(
      api.url,
      `/api/v1/staff/complaints/${held.body.id}/decision`,
      { outcome: 'reversed', reason: 'x' },
      as(otherLegal),
    );
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('kept but not processed');
    await drain(client, TEST_REDIS_URL, prefix);
    const heldLetter = textOf(await mailTo(sender, 'Your complaint is received'));
    expect(heldLetter).toContain('we keep this complaint, and take it up when the suspension ends');

    await reversedOnComplaint(token, 'notifier_suspension', 'The notices named our own titles.', otherLegal);
    const afterSuspension = (await (await fetch(`${api.url}${notifier}`, { headers: as(legal) })).json()) as any;
    expect(afterSuspension.standing).toMatchObject({ status: 'warned', warnings: 1 });
    const freed = await postJson(
      api.url,
      `/api/v1/staff/complaints/${held.body.id}/decision`,
      { outcome: 'reversed', reason: 'The earlier notices were sound.' },
      as(otherLegal),
    );
    expect(freed.status).toBe(200);
    const afterWarning = (await (await fetch(`${api.url}${notifier}`, { headers: as(legal) })).json()) as any;
    expect(afterWarning.standing).toMatchObject({ status: 'good', warnings: 0 });
    expect(afterWarning.standing.events.map((e: any) => [e.action, e.actor])).toEqual([
      ['warned', legal.id],
      ['suspended', legal.id],
      ['suspension_reversed', otherLegal.id],
      ['warning_withdrawn', otherLegal.id],
    ]);
    await drain(client, TEST_REDIS_URL, prefix);
    const answer = textOf(await mailTo(sender, `Our decision on your complaint`));
    expect(answer).toMatch(/suspension has ended|warning no longer counts/);
  });
});
