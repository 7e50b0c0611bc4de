import type { StructuredNotice } from '../checklist';
import { TemplateRenderer } from '../core/templates/template-renderer';
import {
  FORM_FIELDS,
  type FormErrors,
  type NoticeFormFields,
  readForm,
  structuredFromForm,
  validateForm,
} from './notice-form';

const MAX_URLS = 3;
const renderer = new TemplateRenderer();
const say = (key: string, values?: Record<string, unknown>): string => renderer.translate('en', key, values);

/** A form that passes: each row below changes one thing about it. */
const VALID: NoticeFormFields = {
  name: 'Ada Lovelace',
  email: 'legal@example.org',
  role: 'owner',
  workDescription: 'The photograph "Harbour at dusk".',
  infringingUrls: 'https://example.com/files/1',
  searchTerms: 'harbour',
  goodFaith: 'yes',
  perjury: 'yes',
  signature: 'Ada Lovelace',
  consent: 'yes',
};

const errorsFor = (patch: Partial<NoticeFormFields>): FormErrors => validateForm({ ...VALID, ...patch }, MAX_URLS, say);

describe('readForm', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'name=Ada'],
    ['a number', 42],
    ['an array', ['Ada']],
  ])('reads nothing from %s', (_label, body) => {
    expect(readForm(body)).toEqual({});
  });

  it('keeps every known field, trimmed', () => {
    const body = Object.fromEntries(FORM_FIELDS.map((k) => [k, `  ${k} value \n`]));
    expect(readForm(body)).toEqual(Object.fromEntries(FORM_FIELDS.map((k) => [k, `${k} value`])));
    expect(FORM_FIELDS).toHaveLength(15);
  });

  it.each([
    ['an unknown field', { name: 'Ada', isAdmin: 'yes' }, { name: 'Ada' }],
    ['a repeated field (an array)', { name: 'Ada', email: ['a@example.org', 'b@example.org'] }, { name: 'Ada' }],
    ['a number', { name: 'Ada', phone: 5551234 }, { name: 'Ada' }],
    ['a nested object', { name: { first: 'Ada' }, role: 'owner' }, { role: 'owner' }],
    ['a blank field, kept as empty', { name: '   ', company: '' }, { name: '', company: '' }],
    [
      'a textarea, trimmed only at its ends',
      { infringingUrls: '\n https://example.com/1\r\n https://example.com/2 \n' },
      { infringingUrls: 'https://example.com/1\r\n https://example.com/2' },
    ],
  ])('ignores or keeps %s', (_label, body, fields) => {
    expect(readForm(body)).toEqual(fields);
  });
});

describe('validateForm', () => {
  it('accepts a complete form', () => {
    expect(validateForm(VALID, MAX_URLS, say)).toEqual({});
  });

  it.each<[string, Partial<NoticeFormFields>, FormErrors]>([
    ['no name', { name: undefined }, { name: 'Enter your full name.' }],
    ['an empty name', { name: '' }, { name: 'Enter your full name.' }],
    [
      'no email',
      { email: undefined },
      { email: 'Enter your email address: we send the case receipt and any questions there.' },
    ],
    [
      'an invalid email',
      { email: 'legal@example' },
      { email: 'Enter a valid email address, such as legal@example.org.' },
    ],
    [
      'an email with a space',
      { email: 'le gal@example.org' },
      { email: 'Enter a valid email address, such as legal@example.org.' },
    ],
    ['no role', { role: undefined }, { role: 'Say whether you own the copyright or act for the owner.' }],
    ['an unknown role', { role: 'lawyer' }, { role: 'Say whether you own the copyright or act for the owner.' }],
    ['a role in capitals', { role: 'Owner' }, { role: 'Say whether you own the copyright or act for the owner.' }],
    ['an agent naming no owner', { role: 'agent' }, { ownerName: 'Name the copyright owner you act for.' }],
    [
      'an agent naming an empty owner',
      { role: 'agent', ownerName: '' },
      { ownerName: 'Name the copyright owner you act for.' },
    ],
    ['an agent naming the owner', { role: 'agent', ownerName: 'Harbour Photo Ltd' }, {}],
    ['an owner naming an owner too', { role: 'owner', ownerName: 'Harbour Photo Ltd' }, {}],
    [
      'neither a work description nor its URL',
      { workDescription: undefined, workUrl: undefined },
      { workDescription: 'Describe the copyrighted work, or give a link to the original.' },
    ],
    ['the work by URL only', { workDescription: undefined, workUrl: 'https://photos.example.net/harbour' }, {}],
    [
      'no infringing URL',
      { infringingUrls: undefined },
      { infringingUrls: 'List at least one link to the material on our site, one per line.' },
    ],
    [
      'only blank lines for URLs',
      { infringingUrls: '\n   \r\n\t\n' },
      { infringingUrls: 'List at least one link to the material on our site, one per line.' },
    ],
    [
      'no search term',
      { searchTerms: undefined },
      { searchTerms: 'Give at least one search term under which the material appears on our site.' },
    ],
    [
      'only separators for search terms',
      { searchTerms: ' , \n ,, ' },
      { searchTerms: 'Give at least one search term under which the material appears on our site.' },
    ],
    [
      'good faith not affirmed',
      { goodFaith: undefined },
      { goodFaith: 'You must affirm the good-faith statement to file a notice.' },
    ],
    [
      'good faith as "on"',
      { goodFaith: 'on' },
      { goodFaith: 'You must affirm the good-faith statement to file a notice.' },
    ],
    [
      'perjury not affirmed',
      { perjury: undefined },
      { perjury: 'You must affirm the statement made under penalty of perjury to file a notice.' },
    ],
    [
      'perjury as "YES"',
      { perjury: 'YES' },
      { perjury: 'You must affirm the statement made under penalty of perjury to file a notice.' },
    ],
    ['no signature', { signature: undefined }, { signature: 'Sign by typing your full legal name.' }],
    ['a one-letter signature', { signature: 'A' }, { signature: 'Sign by typing your full legal name.' }],
    ['a two-letter signature', { signature: 'AL' }, {}],
    [
      'no consent',
      { consent: undefined },
      { consent: 'We cannot process a notice without your consent to the use of its personal data.' },
    ],
    [
      'consent as "true"',
      { consent: 'true' },
      { consent: 'We cannot process a notice without your consent to the use of its personal data.' },
    ],
  ])('with %s', (_label, patch, errors) => {
    expect(errorsFor(patch)).toEqual(errors);
  });

  it('names every missing element of an empty form at once', () => {
    expect(Object.keys(validateForm({}, MAX_URLS, say)).sort()).toEqual([
      'consent',
      'email',
      'goodFaith',
      'infringingUrls',
      'name',
      'perjury',
      'role',
      'searchTerms',
      'signature',
      'workDescription',
    ]);
  });

  it('asks an agent for the owner on an otherwise empty form', () => {
    expect(validateForm({ role: 'agent' }, MAX_URLS, say).ownerName).toBe('Name the copyright owner you act for.');
    expect(validateForm({ role: 'agent' }, MAX_URLS, say).role).toBeUndefined();
  });

  describe('limits', () => {
    // field, its limit, and a value of a given length that the field otherwise accepts
    const LIMITED: [keyof NoticeFormFields, number, (n: number) => string][] = [
      ['name', 300, (n) => 'a'.repeat(n)],
      ['company', 300, (n) => 'a'.repeat(n)],
      ['phone', 100, (n) => '5'.repeat(n)],
      ['address', 1000, (n) => 'a'.repeat(n)],
      ['ownerName', 300, (n) => 'a'.repeat(n)],
      ['workDescription', 10_000, (n) => 'a'.repeat(n)],
      ['workUrl', 4096, (n) => `https://example.net/${'a'.repeat(n - 20)}`],
      ['infringingUrls', 2_000_000, (n) => `https://example.com/${'a'.repeat(n - 20)}`],
      ['searchTerms', 5_000, (n) => 'a'.repeat(n)],
      ['signature', 300, (n) => 'a'.repeat(n)],
    ];

    it.each(LIMITED)('%s takes %i characters', (field, max, value) => {
      expect(value(max)).toHaveLength(max);
      expect(errorsFor({ [field]: value(max) })).toEqual({});
    });

    it.each(LIMITED)('%s refuses more than %i characters', (field, max, value) => {
      expect(value(max + 1)).toHaveLength(max + 1);
      expect(errorsFor({ [field]: value(max + 1) })).toEqual({ [field]: `Please keep this under ${max} characters.` });
    });

    it('reports an over-long email as invalid (no address that long is valid)', () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(251)}.org`;
      expect(email).toHaveLength(320);
      expect(errorsFor({ email: `x${email}` })).toEqual({
        email: 'Enter a valid email address, such as legal@example.org.',
      });
    });

    it('counts URLs by line, not characters, against the URL limit', () => {
      const urls = (n: number, sep = '\n'): string =>
        Array.from({ length: n }, (_, i) => `https://example.com/${i}`).join(sep);
      expect(errorsFor({ infringingUrls: urls(MAX_URLS) })).toEqual({});
      expect(errorsFor({ infringingUrls: urls(MAX_URLS, '\r\n\r\n') })).toEqual({});
      expect(errorsFor({ infringingUrls: `${urls(MAX_URLS)}\n\n  \n` })).toEqual({});
      expect(errorsFor({ infringingUrls: urls(MAX_URLS + 1) })).toEqual({
        infringingUrls: `A notice may list at most ${MAX_URLS} links; split the rest into another notice.`,
      });
      // Commas do not split URLs (they do split search terms).
      expect(errorsFor({ infringingUrls: 'https://example.com/a,b,c,d,e' })).toEqual({});
      expect(validateForm({ ...VALID, infringingUrls: urls(10) }, 10, say)).toEqual({});
    });
  });

  it('checks the trimmed form, as readForm gives it', () => {
    expect(validateForm(readForm({ ...VALID, signature: '  A  ', name: '   ' }), MAX_URLS, say)).toEqual({
      name: 'Enter your full name.',
      signature: 'Sign by typing your full legal name.',
    });
  });
});

describe('structuredFromForm', () => {
  it('maps an owner form', () => {
    expect(structuredFromForm(VALID)).toEqual<StructuredNotice>({
      complainant: { name: 'Ada Lovelace', email: 'legal@example.org', role: 'owner' },
      work: { description: 'The photograph "Harbour at dusk".' },
      infringingUrls: ['https://example.com/files/1'],
      searchTerms: ['harbour'],
      goodFaith: true,
      perjury: true,
      signature: 'Ada Lovelace',
    });
  });

  it('maps an agent form with every field', () => {
    const s = structuredFromForm({
      ...VALID,
      company: 'Lovelace Legal',
      phone: '+44 20 7946 0000',
      address: '1 Harbour Road, Bristol',
      role: 'agent',
      ownerName: 'Harbour Photo Ltd',
      workUrl: 'https://photos.example.net/harbour',
    });
    expect(s.complainant).toEqual({
      name: 'Ada Lovelace',
      company: 'Lovelace Legal',
      email: 'legal@example.org',
      phone: '+44 20 7946 0000',
      address: '1 Harbour Road, Bristol',
      role: 'agent',
      ownerName: 'Harbour Photo Ltd',
    });
    expect(s.work).toEqual({
      description: 'The photograph "Harbour at dusk".',
      url: 'https://photos.example.net/harbour',
    });
  });

  it.each<[string, Partial<NoticeFormFields>, Partial<StructuredNotice>]>([
    [
      'drops the owner an owner named',
      { role: 'owner', ownerName: 'Someone Else' },
      { complainant: { name: 'Ada Lovelace', email: 'legal@example.org', role: 'owner', ownerName: undefined } },
    ],
    [
      'reads any role but agent as owner',
      { role: 'lawyer', ownerName: 'Someone Else' },
      { complainant: { name: 'Ada Lovelace', email: 'legal@example.org', role: 'owner', ownerName: undefined } },
    ],
    [
      'leaves blank optional fields out',
      { company: '', phone: '', address: '', workDescription: '', workUrl: '' },
      {
        complainant: { name: 'Ada Lovelace', email: 'legal@example.org', role: 'owner' },
        work: { description: undefined, url: undefined },
      },
    ],
    [
      'reads one URL per line, trimmed, blank lines dropped, commas kept',
      { infringingUrls: ' https://example.com/1 \r\n\r\nexample.com/2\n\t\nhttps://example.com/a,b\n' },
      { infringingUrls: ['https://example.com/1', 'example.com/2', 'https://example.com/a,b'] },
    ],
    [
      'keeps repeated URLs (the link sorter dedupes)',
      { infringingUrls: 'https://example.com/1\nhttps://example.com/1' },
      { infringingUrls: ['https://example.com/1', 'https://example.com/1'] },
    ],
    [
      'splits search terms on commas and newlines',
      { searchTerms: 'harbour, dusk\nsunset photo ,, \r\n' },
      { searchTerms: ['harbour', 'dusk', 'sunset photo'] },
    ],
    [
      'gives empty lists for empty textareas',
      { infringingUrls: undefined, searchTerms: '' },
      { infringingUrls: [], searchTerms: [] },
    ],
    ['affirms only on "yes"', { goodFaith: 'on', perjury: undefined }, { goodFaith: false, perjury: false }],
  ])('%s', (_label, patch, expected) => {
    const s = structuredFromForm({ ...VALID, ...patch });
    for (const [key, value] of Object.entries(expected)) expect(s[key as keyof StructuredNotice]).toEqual(value);
  });
});
