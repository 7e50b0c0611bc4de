import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CaseStatus } from '../src/cases/case.entity';
import { eraseCaseTexts, scrubCaseTexts } from '../src/cases/case-texts';
import { CounterNoticeStatus } from '../src/cases/counter-notice.entity';
import { NoticeChannel } from '../src/cases/notice.entity';
import { LinkStatus } from '../src/cases/reported-link.entity';
import { ELEMENT_LABELS } from '../src/checklist';
import { redactPersonalData } from '../src/core/privacy/redact';
import { previewLetter } from '../src/letters/letter-preview';
import { LetterKind } from '../src/letters/letter.entity';
import { LettersService } from '../src/letters/letters.service';
import { PROVIDER_REGISTRY } from '../src/links/links.constants';
import type { ProviderRegistry } from '../src/links';
import { NoticeFlag } from '../src/notices/notice-flags';
import { PRIVACY_NOTICE_VERSION } from '../src/notices/privacy-notice';
import { SITE_ADAPTER } from '../src/site/site-adapter';
import { ACTION_LABELS } from '../src/staff-ui/audit-view';
import { uploaderDetails } from './support/counter-notice-form';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import {
  auditTrail,
  db,
  drain,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { TEST_REDIS_URL } from './support/env';
import { createStaff, type StaffFixture } from './support/staff';
import { PersonalData } from '../src/core/privacy/personal-data.service';
import { AUTO_ACTION_REASONS, SENDER_STANDINGS } from '../src/cases/auto-action-policy';
import { StrikeVoidReason } from '../src/strikes/strike.entity';
import { ComplaintBy, ComplaintStatus, ComplaintSubject } from '../src/complaints/complaint.entity';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Detail fields that hold the system's own messages, written through systemText (scrubbed of addresses). */
const SYSTEM_TEXT_FIELDS = ['error', 'refusal', 'awaiting', 'unsendable'];

/**
 * The audit log is append-only, so it must hold no personal values. A case worked through every staff action that
 * takes words (and a counter-notice and a retraction), then every string in its audit details is checked to be an
 * id, an enum value, a URL, a date, a hash, a reason template's title or a scrubbed system message; the words
 * themselves are in case_texts, where erasure reaches them, and the pages and letters still read them.
 */
describe('the audit log holds no personal values', () => {
  const prefix = uniquePrefix();
  const complainant = `jane-${uniqueId()}@rights-holder.example.org`;
  const phone = '+1 555 867 5309';
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let legal: StaffFixture;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
    legal = await createStaff(client, 'legal', { name: `Lena Legal ${uniqueId()}` });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${api.url}/api/v1/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const linkOf = async (caseId: string, url: string): Promise<{ id: string; status: string }> =>
    (await client.query(`SELECT id, status FROM reported_links WHERE case_id = $1 AND url = $2`, [caseId, url]))
      .rows[0];
  const staffPage = async (reference: string): Promise<string> =>
    (
      await fetch(`${api.url}/staff/cases/${reference}`, { headers: { authorization: `Bearer ${legal.token}` } })
    ).text();
  const preview = (reference: string, kind: LetterKind) =>
    previewLetter(
      api.app.get(DataSource),
      api.app.get(LettersService),
      {
        site: api.app.get(SITE_ADAPTER),
        registry: api.app.get<string, ProviderRegistry>(PROVIDER_REGISTRY),
        vault: api.app.get(PersonalData),
      },
      reference,
      kind,
    );

  /** What a string in an audit detail may be, by its field's name and its form. */
  const allowed = async (): Promise<(key: string, value: string) => boolean> => {
    const titles = new Set(
      (await client.query<{ title: string }>(`SELECT title FROM reason_templates`)).rows.map((r) => r.title),
    );
    const registry = api.app.get<string, ProviderRegistry>(PROVIDER_REGISTRY);
    const tokens = new Set<string>([
      ...Object.values(CaseStatus),
      ...Object.values(LinkStatus),
      ...Object.values(CounterNoticeStatus),
      ...Object.values(NoticeChannel),
      ...Object.values(NoticeFlag),
      ...Object.values(LetterKind),
      ...Object.keys(ELEMENT_LABELS),
      ...Object.keys(ACTION_LABELS),
      ...registry.providers.map((p) => p.id),
      ...['takedown', 'counter_notice', 'retraction', 'other'],
      ...['internal', 'external_disk', 'external_other', 'invalid', 'infringing', 'original', 'reference'],
      ...['on_receipt', 'staff', 'complainant'],
      ...AUTO_ACTION_REASONS,
      ...SENDER_STANDINGS,
      ...Object.values(StrikeVoidReason),
      ...Object.values(ComplaintBy),
      ...Object.values(ComplaintSubject),
      ...Object.values(ComplaintStatus),
      PRIVACY_NOTICE_VERSION,
    ]);
    return (key, value) => {
      if (key.endsWith('Text')) return UUID.test(value);
      if (SYSTEM_TEXT_FIELDS.includes(key)) return redactPersonalData(value) === value;
      if (key === 'template') return titles.has(value);
      return (
        UUID.test(value) ||
        /^\d+$/.test(value) || // another audit event's id
        tokens.has(value) ||
        /^DMCA-\d{4}-\d{6}$/.test(value) ||
        /^https?:\/\/[^\s@]+$/.test(value) ||
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/.test(value) ||
        /^[0-9a-f]{64}$/.test(value)
      );
    };
  };

  /** Every string in the details, with the name of the field it is in (an array's items take the array's name). */
  const strings = (value: unknown, key = ''): { key: string; value: string }[] => {
    if (typeof value === 'string') return [{ key, value }];
    if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k));
    return [];
  };

  it('records ids and decisions in the log and the words in case_texts, which pages and letters read', async () => {
    const name = 'Jane Roe'; // the complainant, as completeNotice names them
    const said = (what: string) => `${what} (spoke to ${name}, ${complainant}, ${phone})`;
    const page = await createCatalogPage(client, {
      targets: [1, 2, 3].map((i) => `https://a.example.net/${prefix}-${i}.zip`),
    });
    const [d1, d2, d3] = page.downloads.map((d) => `https://example.com/d/${d.id}`);
    const a = await fileRoutedCase(api, client, prefix, completeNoticeFrom(complainant, [d1, d2, d3]));
    const b = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(complainant, [`https://example.com/software/${prefix}-b`], { signature: undefined }),
    );

    // Case A: every staff action that takes words, a counter-notice withdrawn, and a retraction.
    const ref = `/cases/${a.reference}`;
    await ok('POST', `${ref}/notes`, { text: said('Note') });
    await ok('POST', `${ref}/assign`, { assigneeId: legal.id });
    await ok('POST', `${ref}/overrides/elements`, { element: 'signature', present: true, reason: said('Override') });
    const original = await linkOf(a.caseId, 'https://acme-software.com/studio');
    await ok('POST', `${ref}/links/${original.id}/sorting`, {
      classification: 'invalid',
      role: 'reference',
      reason: said('Re-sort'),
    });
    const [l1, l2, l3] = await Promise.all([d1, d2, d3].map((u) => linkOf(a.caseId, u)));
    await ok('POST', `${ref}/approve`, { linkIds: [l1.id, l2.id], reason: said('Approve') });
    await ok('POST', `${ref}/reject`, { linkIds: [l3.id], reason: said('Reject links') });
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('both approved links to be taken down', async () =>
      (await linkOf(a.caseId, d1)).status === 'taken_down' && (await linkOf(a.caseId, d2)).status === 'taken_down'
        ? true
        : undefined,
    );
    const uploader = uploaderDetails();
    const counter = await postJson(api.url, '/api/v1/counter-notices', {
      counterNotifier: uploader,
      removedUrls: [d1],
      mistakeStatement: true,
      consentToJurisdiction: true,
      signature: uploader.name,
    });
    expect(counter.status).toBe(201);
    await ok('POST', `${ref}/counter-notices/${counter.body.counterNoticeId}/withdraw`, { reason: said('Withdraw') });
    await ok('POST', `${ref}/restore`, { linkIds: [l1.id], reason: said('Restore') });
    const token = (await client.query(`SELECT status_token FROM cases WHERE id = $1`, [a.caseId])).rows[0].status_token;
    const retracted = await postJson(api.url, `/api/v1/status/${token}/retract`, {
      urls: [d2],
      reason: said('Retract'),
    });
    expect(retracted.status).toBe(200);

    // Case B: a request for information, a move with a reason, and a rejection in words of our own.
    const refB = `/cases/${b.reference}`;
    expect((await ok('GET', refB)).status).toBe('needs_info');
    await ok('POST', `${refB}/request-info`, { elements: ['signature'], message: said('Request') });
    await ok('POST', `${refB}/transitions`, { to: 'in_review', reason: said('Review') });
    await ok('POST', `${refB}/reject`, { reason: said('Reject case') });
    await drain(client, TEST_REDIS_URL, prefix);

    const events = [...(await auditTrail(client, a.caseId)), ...(await auditTrail(client, b.caseId))];
    const actions = new Set(events.map((e) => e.action));
    for (const action of [
      'note.added',
      'case.assigned',
      'element.overridden',
      'link.sorting_overridden',
      'takedowns.approved',
      'links.rejected',
      'counter_notice.withdrawn',
      'links.restored',
      'notice.retracted',
      'info.requested',
      'case.transitioned',
      'case.rejected',
    ]) {
      expect({ action, seen: actions.has(action) }).toEqual({ action, seen: true });
    }
    const log = JSON.stringify(events.map((e) => e.detail));
    for (const secret of [
      name,
      complainant,
      phone,
      'spoke to',
      legal.name,
      legal.email,
      uploader.name,
      uploader.email,
    ]) {
      expect({ secret, inLog: log.includes(secret) }).toEqual({ secret, inLog: false });
    }
    const fits = await allowed();
    const unfit = events.flatMap((e) =>
      strings(e.detail)
        .filter((s) => !fits(s.key, s.value))
        .map((s) => `${e.action}.${s.key}: ${s.value}`),
    );
    expect(unfit).toEqual([]);

    // Each text id names a text of the event's own case, by its actor, with the words as they were given.
    const textIds = events.flatMap((e) =>
      Object.entries(e.detail as Record<string, unknown>)
        .filter(([k, v]) => k.endsWith('Text') && typeof v === 'string')
        .map(([, id]) => ({ id: id as string, actor: e.actor })),
    );
    const { rows: texts } = await client.query<{ id: string; case_id: string; author: string; text: string }>(
      `SELECT id, case_id, author, text FROM case_texts WHERE id = ANY($1::uuid[])`,
      [textIds.map((t) => t.id)],
    );
    const byId = new Map(texts.map((t) => [t.id, t]));
    for (const { id, actor } of textIds) {
      expect(byId.get(id)).toMatchObject({ author: actor, case_id: expect.stringMatching(UUID) });
    }
    expect(texts.filter((t) => t.text.includes('spoke to')).map((t) => t.text.split(' (')[0])).toEqual(
      expect.arrayContaining([
        'Note',
        'Override',
        'Re-sort',
        'Approve',
        'Reject links',
        'Withdraw',
        'Restore',
        'Retract',
        'Request',
        'Review',
        'Reject case',
      ]),
    );

    // The JSON detail and the staff page read the words; the rejection letter quotes its reason.
    const detailB = await ok('GET', refB);
    const rejected = detailB.audit.find((e: any) => e.action === 'case.rejected');
    expect(rejected.texts).toEqual({ reasonText: { text: said('Reject case'), erased: false } });
    const trailA = /<section aria-labelledby="h-audit">[\s\S]*?<\/section>/.exec(await staffPage(a.reference))?.[0];
    expect(trailA).toContain(`<dt>note</dt><dd>Note (spoke to ${name}, ${complainant}, ${phone})</dd>`);
    expect(trailA).toContain(`<dt>to</dt><dd>${legal.name}</dd>`);
    expect((await preview(b.reference, LetterKind.Rejection)).text).toContain(said('Reject case'));

    // A person's details scrubbed from case A's texts, and case B's texts erased: the log is untouched.
    const ds = api.app.get(DataSource);
    const scrubbed = await ds.transaction((m) =>
      scrubCaseTexts(m, [a.caseId], (text) => redactPersonalData(text).replaceAll(name, '[name]')),
    );
    expect(scrubbed).toBe(8);
    expect(await ds.transaction((m) => eraseCaseTexts(m, [b.caseId]))).toBe(3);
    expect(await ds.transaction((m) => eraseCaseTexts(m, [b.caseId]))).toBe(0);
    expect(JSON.stringify([...(await auditTrail(client, a.caseId)), ...(await auditTrail(client, b.caseId))])).toBe(
      JSON.stringify(events),
    );
    expect(await staffPage(a.reference)).toContain(
      '<dt>note</dt><dd>Note (spoke to [name], [email redacted], [phone redacted])</dd>',
    );
    const erasedB = await ok('GET', refB);
    expect(erasedB.audit.find((e: any) => e.action === 'case.rejected').texts).toEqual({
      reasonText: { text: null, erased: true },
    });
    // The audit trail, that is: the letters already written keep their words until erasure reaches them.
    const trailB = /<section aria-labelledby="h-audit">[\s\S]*?<\/section>/.exec(await staffPage(b.reference))?.[0];
    expect(trailB).toContain('<dt>reason</dt><dd>(erased)</dd>');
    expect(trailB).toContain('<dt>message</dt><dd>(erased)</dd>');
    expect(trailB).not.toContain('spoke to');
    expect((await preview(b.reference, LetterKind.Rejection)).text).toContain('(erased)');
  });
});
