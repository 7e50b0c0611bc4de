import type { StaffPrincipal } from '../auth/staff-auth.service';
import { StaffRole } from '../auth/staff-user.entity';
import { ACTION_LABELS, auditEntry } from './audit-view';
import { structuredFields } from './case-view';
import { pagination, queueForm } from './queue-view';
import { decodeFlash, encodeFlash, type Flash } from './flash';
import { httpUrl, humanAge, relativeTime } from './view-format';

const NOW = new Date('2026-11-30T12:00:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('httpUrl: only http(s) URLs may become links', () => {
  it.each([
    ['https://example.com/d/1', 'https://example.com/d/1'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Example.com/a b', 'https://example.com/a%20b'],
    ['  https://example.com/x', 'https://example.com/x'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['mailto:a@b.org', null],
    ['ftp://example.com/file', null],
    ['//evil.example/x', null],
    ['/relative/path', null],
    ['not a url', null],
    ['', null],
    [null, null],
  ])('%j → %j', (url, expected) => {
    expect(httpUrl(url)).toBe(expected);
  });
});

describe('humanAge and relativeTime', () => {
  it.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [MIN, '1 min'],
    [59 * MIN, '59 min'],
    [HOUR, '1 h'],
    [3 * HOUR + 20 * MIN, '3 h'],
    [47 * HOUR, '47 h'],
    [48 * HOUR, '2 d'],
    [30 * 24 * HOUR, '30 d'],
  ])('%d ms ago is "%s"', (ms, expected) => {
    expect(humanAge(ago(ms), NOW)).toBe(expected);
  });

  it.each([
    [-3 * HOUR, 'in 3 h'],
    [2 * 24 * HOUR, '2 d ago'],
    [10_000, 'just now'],
  ])('%d ms before now reads "%s"', (ms, expected) => {
    expect(relativeTime(ago(ms), NOW)).toBe(expected);
  });
});

describe('pagination', () => {
  it('keeps the filters, drops page=1, and shows the neighbours, first and last', () => {
    const p = pagination({ page: 5, perPage: 25, total: 1000 }, 'status=received&q=a%26b&page=3');
    expect(p.pages.map((x) => x.number)).toEqual([1, 3, 4, 5, 6, 7, 40]);
    expect(p.prev).toBe('/staff?status=received&q=a%26b&page=4');
    expect(p.pages[0].href).toBe('/staff?status=received&q=a%26b');
    expect(p.next).toBe('/staff?status=received&q=a%26b&page=6');
    expect([p.from, p.to]).toEqual([101, 125]);
  });

  it('has no page links for one page, and pages the links of a case under its own parameter', () => {
    expect(pagination({ page: 1, perPage: 25, total: 3 }, '').pages).toEqual([]);
    const links = pagination({ page: 1, perPage: 50, total: 120 }, '', '/staff/cases/DMCA-1', {
      param: 'links',
      fragment: '#links',
    });
    expect(links.next).toBe('/staff/cases/DMCA-1?links=2#links');
    expect(links.pages.map((x) => x.href)).toEqual([
      '/staff/cases/DMCA-1#links',
      '/staff/cases/DMCA-1?links=2#links',
      '/staff/cases/DMCA-1?links=3#links',
    ]);
  });
});

describe('queueForm', () => {
  const staff: StaffPrincipal = { id: 'me-id', email: 'm@x.org', name: 'Me', role: StaffRole.Legal, via: 'session' };
  const providers = [{ id: 'mega', name: 'MEGA' }];
  const people = [
    { id: 'me-id', name: 'Me' },
    { id: '2b0e6e0e-56f1-4f8c-9d4f-35d5c0b8f3a1', name: 'Other' },
  ];

  it('reads the form as the API reads its query, empty fields meaning "any"', async () => {
    const form = await queueForm(
      {
        status: ['received', 'in_review'],
        channel: '',
        missing: 'any',
        provider: 'mega',
        assignee: 'me',
        overdue: 'true',
        q: ' jane@x.org ',
        sort: 'due',
        page: '2',
      },
      staff,
      providers,
      people,
    );
    expect(form.errors).toEqual([]);
    expect(form.filter).toEqual({
      status: ['received', 'in_review'],
      channel: undefined,
      missing: 'any',
      provider: 'mega',
      domain: undefined,
      assignee: 'me-id',
      overdue: true,
      q: 'jane@x.org',
      sort: 'due',
      page: 2,
    });
    expect(form.query).toBe(
      'status=received&status=in_review&missing=any&provider=mega&assignee=me&q=jane%40x.org&sort=due&overdue=true',
    );
    expect(form.values.statuses.filter((s) => s.checked).map((s) => s.value)).toEqual(['received', 'in_review']);
    expect(form.values.assignees.map((o) => o.label)).toEqual(['Anyone', 'Me', 'Unassigned', 'Other']);
    expect(form.values.assignees.find((o) => o.selected)?.value).toBe('me');
  });

  it('reports what it cannot read and leaves it out, keeping the rest', async () => {
    const form = await queueForm({ status: 'lost', sort: 'sideways', q: 'x', assignee: 'bob' }, staff, [], []);
    expect(form.errors.length).toBeGreaterThanOrEqual(3);
    expect(form.filter).toMatchObject({ status: undefined, sort: undefined, assignee: undefined, q: 'x' });
  });
});

describe('auditEntry', () => {
  const names = new Map([['u-1', 'Lena Legal']]);
  const event = (
    actor: string,
    actorName: string | null,
    action: string,
    detail: object,
    texts: Record<string, { text: string | null; erased: boolean }> = {},
  ) => ({ id: '1', at: NOW, actor, actorName, action, detail, texts });
  const noteId = '00000000-0000-4000-8000-000000000001';

  it('names staff, keeps system actors as they are, and shows notes in full', () => {
    const note = 'Line one.\nLine two with <b>markup</b> that the template escapes.'.repeat(3);
    expect(
      auditEntry(
        event('u-1', 'Lena Legal', 'note.added', { noteText: noteId }, { noteText: { text: note, erased: false } }),
        names,
      ),
    ).toMatchObject({
      actor: 'Lena Legal',
      byStaff: true,
      label: 'Note',
      fields: [{ label: 'note', value: note, long: true }],
    });
    expect(auditEntry(event('worker', null, 'takedowns.done', { links: 2 }), names)).toMatchObject({
      actor: 'worker',
      byStaff: false,
      label: 'Takedowns done',
      fields: [{ label: 'links', value: '2', long: false }],
    });
    expect(auditEntry(event('sender', null, 'some.new_action', {}), names)).toMatchObject({
      actor: 'sender',
      label: 'some.new_action',
      fields: [],
    });
  });

  it('labels every action the audit log records, the restorations included', () => {
    for (const action of Object.keys(ACTION_LABELS)) {
      const { label } = auditEntry(event('worker', null, action, {}), names);
      expect({ action, label }).toEqual({ action, label: expect.not.stringMatching(/^[a-z_]+\.[a-z_]+$/) });
    }
    expect(auditEntry(event('worker', null, 'takedowns.restored', {}), names).label).toBe('Links put back on the site');
    expect(auditEntry(event('u-1', null, 'links.restored', {}), names).label).toBe('Links restored');
  });

  it('shows an erased text as erased, and no text where none was given', () => {
    const erased = auditEntry(
      event(
        'u-1',
        null,
        'links.restored',
        { links: [], reasonText: noteId },
        { reasonText: { text: null, erased: true } },
      ),
      names,
    );
    expect(erased.fields).toEqual([{ label: 'reason', value: '(erased)', long: false }]);
    // A text id the read model found no row for reads as erased too.
    expect(auditEntry(event('u-1', null, 'note.added', { noteText: noteId }), names).fields).toEqual([
      { label: 'note', value: '(erased)', long: false },
    ]);
    expect(
      auditEntry(
        event('u-1', null, 'case.transitioned', { from: 'received', to: 'in_review', reasonText: null }),
        names,
      ).fields,
    ).toEqual([
      { label: 'from', value: 'received', long: false },
      { label: 'to', value: 'in_review', long: false },
    ]);
  });

  it('reads nested detail: assignees by name, long lists cut, empty values left out', () => {
    expect(auditEntry(event('u-1', null, 'case.assigned', { from: null, to: 'u-1' }), names).fields).toEqual([
      { label: 'to', value: 'Lena Legal', long: false },
    ]);
    expect(auditEntry(event('u-1', null, 'case.assigned', { from: 'u-1', to: null }), names).fields).toEqual([
      { label: 'to', value: 'nobody (unassigned)', long: false },
    ]);
    const urls = Array.from({ length: 12 }, (_, i) => `https://example.com/d/${i}`);
    const sorted = auditEntry(
      event(
        'u-1',
        null,
        'link.sorting_overridden',
        {
          link: urls[0],
          from: { classification: 'external_other', provider: null, role: 'infringing' },
          to: { classification: 'external_disk', provider: 'mega', role: 'infringing' },
          reasonText: noteId,
          urls,
          approved: false,
        },
        { reasonText: { text: 'A MEGA mirror', erased: false } },
      ),
      names,
    );
    expect(sorted.fields).toEqual([
      { label: 'link', value: urls[0], long: false },
      { label: 'from', value: 'classification: external_other; role: infringing', long: false },
      { label: 'to', value: 'classification: external_disk; provider: mega; role: infringing', long: false },
      { label: 'reason', value: 'A MEGA mirror', long: false },
      { label: 'urls', value: expect.stringMatching(/d\/9 … and 2 more$/), long: true },
      { label: 'approved', value: 'no', long: false },
    ]);
  });
});

describe('structuredFields', () => {
  it('lists what the notice gave, links only http(s) URLs, and counts the reported URLs', () => {
    const fields = structuredFields({
      complainant: { name: 'Jane', email: 'jane@x.org', role: 'agent', ownerName: 'Acme' },
      work: { description: 'Acme Studio', url: 'javascript:alert(1)' },
      infringingUrls: ['https://example.com/d/1', 'https://example.com/d/2'],
      goodFaith: true,
      perjury: false,
      signature: 'Jane',
    });
    expect(fields.map((f) => [f.label, f.value, f.href])).toEqual([
      ['Name', 'Jane', null],
      ['Email', 'jane@x.org', null],
      ['Acts as', 'agent', null],
      ["Owner's name", 'Acme', null],
      ['Work', 'Acme Studio', null],
      ['Work URL', 'javascript:alert(1)', null],
      ['Infringing URLs', '2 URLs (listed under Links)', null],
      ['Good faith statement', 'affirmed', null],
      ['Perjury statement', 'not affirmed', null],
      ['Signature', 'Jane', null],
    ]);
    expect(structuredFields({ work: { url: 'https://acme.example/studio' } })).toEqual([
      { label: 'Work URL', value: 'https://acme.example/studio', href: 'https://acme.example/studio' },
    ]);
  });
});

describe('the flash cookie', () => {
  const secret = 'a-test-secret-of-some-length';
  const results = (n: number, failEvery: number) =>
    Array.from({ length: n }, (_, i) => {
      const reference = `DMCA-2026-${String(i).padStart(6, '0')}`;
      return i % failEvery === 0
        ? { reference, ok: false, error: `${reference} still lacks: signature, contact. Request the info ${i}.` }
        : { reference, ok: true, status: 'actioned' };
    });

  it('comes back as it went, and only with the right signature', () => {
    const flash: Flash = { path: '/staff/cases/DMCA-1', ok: true, message: 'Note added <b>.</b>' };
    const value = encodeFlash(flash, secret);
    expect(decodeFlash(value, secret)).toEqual(flash);
    expect(decodeFlash(value, 'another-secret-entirely')).toBeNull();
    expect(
      decodeFlash(
        value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        secret,
      ),
    ).toBeNull();
    expect(decodeFlash('garbage', secret)).toBeNull();
  });

  it('fits a cookie however many cases a bulk action touched, keeping failures before successes', () => {
    for (const [n, failEvery] of [
      [3, 2],
      [200, 1],
      [200, 7],
      [200, 1000],
    ]) {
      const all = results(n, failEvery);
      const value = encodeFlash({ path: '/staff', ok: false, message: `Approved some of ${n}.`, results: all }, secret);
      expect(value.length).toBeLessThanOrEqual(3_400);
      const back = decodeFlash(value, secret);
      const failed = all.filter((r) => !r.ok).length;
      const shownFailed = back?.results?.filter((r) => !r.ok).length ?? 0;
      expect(shownFailed + (back?.omitted?.failed ?? 0)).toBe(failed);
      const shownOk = back?.results?.filter((r) => r.ok).length ?? 0;
      expect(shownOk + (back?.omitted?.ok ?? 0)).toBe(n - failed);
    }
  });
});
