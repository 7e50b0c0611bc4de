import { counterNoticeChecklist } from '../checklist';
import { TemplateRenderer } from '../core/templates/template-renderer';
import {
  checkCounterNoticeForm,
  COUNTER_NOTICE_FORM_FIELDS,
  counterNoticeFromForm,
  type CounterNoticeFormErrors,
  type CounterNoticeFormFields,
  prefillFromQuery,
  readCounterNoticeForm,
} from './counter-notice-form';
import { COUNTER_NOTICE_MAX_TEXT, COUNTER_NOTICE_MAX_URLS } from './dto/create-counter-notice.dto';

const renderer = new TemplateRenderer();
const say = (key: string, values?: Record<string, unknown>): string => renderer.translate('en', key, values);
const sayZh = (key: string, values?: Record<string, unknown>): string => renderer.translate('zh-Hans', key, values);

/** A form that passes: each row below changes one thing about it. */
const VALID: CounterNoticeFormFields = {
  caseReference: 'DMCA-2026-000123',
  name: 'Up Loader',
  email: 'up@site-user.test',
  phone: '+1 555 0100',
  address: '1 Main Street, Springfield, IL 62701',
  country: 'United States',
  removedUrls: 'https://example.com/d/1\r\n\r\n  https://example.com/d/2  ',
  mistakeStatement: 'yes',
  consentToJurisdiction: 'yes',
  signature: 'Up Loader',
};

const errorsFor = (patch: Partial<CounterNoticeFormFields>): Promise<CounterNoticeFormErrors> => {
  const fields = { ...VALID, ...patch };
  return checkCounterNoticeForm(fields, counterNoticeFromForm(fields), say);
};

describe('readCounterNoticeForm', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'name=Up'],
  ])('reads nothing from %s', (_label, body) => {
    expect(readCounterNoticeForm(body)).toEqual({});
  });

  it('keeps every known field, trimmed, and ignores the rest', () => {
    const body = Object.fromEntries(COUNTER_NOTICE_FORM_FIELDS.map((k) => [k, `  ${k} value \n`]));
    expect(readCounterNoticeForm({ ...body, isAdmin: 'yes', name: ['a', 'b'] })).toEqual(
      Object.fromEntries(COUNTER_NOTICE_FORM_FIELDS.filter((k) => k !== 'name').map((k) => [k, `${k} value`])),
    );
  });
});

describe('prefillFromQuery', () => {
  it.each([
    ['nothing', {}, {}],
    ['a case', { case: 'DMCA-2026-000123' }, { caseReference: 'DMCA-2026-000123' }],
    ['one url', { url: 'https://example.com/d/1' }, { removedUrls: 'https://example.com/d/1' }],
    [
      'repeated urls, blanks dropped',
      { case: ' DMCA-2026-000123 ', url: ['https://example.com/d/1', ' ', 'https://example.com/d/2'] },
      { caseReference: 'DMCA-2026-000123', removedUrls: 'https://example.com/d/1\nhttps://example.com/d/2' },
    ],
    ['a nested object', { case: { a: 'b' }, url: [{ x: 1 }] }, {}],
  ])('%s', (_label, query, expected) => {
    expect(prefillFromQuery(query)).toEqual(expected);
  });

  it(`keeps at most ${COUNTER_NOTICE_MAX_URLS} urls`, () => {
    const url = Array.from({ length: COUNTER_NOTICE_MAX_URLS + 5 }, (_, i) => `https://example.com/d/${i}`);
    expect(prefillFromQuery({ url }).removedUrls?.split('\n')).toHaveLength(COUNTER_NOTICE_MAX_URLS);
  });
});

describe('counterNoticeFromForm', () => {
  it('builds the JSON API counter-notice, one URL a line, and the explanation as its text', () => {
    const dto = counterNoticeFromForm({ ...VALID, explanation: 'It is my own program.' });
    expect({ ...dto, counterNotifier: { ...dto.counterNotifier } }).toEqual({
      caseReference: 'DMCA-2026-000123',
      counterNotifier: {
        name: 'Up Loader',
        email: 'up@site-user.test',
        phone: '+1 555 0100',
        address: '1 Main Street, Springfield, IL 62701',
        country: 'United States',
      },
      removedUrls: ['https://example.com/d/1', 'https://example.com/d/2'],
      mistakeStatement: true,
      consentToJurisdiction: true,
      signature: 'Up Loader',
      text: 'It is my own program.',
    });
  });

  it('a form that passes is a complete counter-notice by the checklist the service applies', async () => {
    expect(await errorsFor({})).toEqual({});
    expect(counterNoticeChecklist(counterNoticeFromForm(VALID)).missing).toEqual([]);
  });
});

describe('checkCounterNoticeForm', () => {
  it.each<[string, Partial<CounterNoticeFormFields>, CounterNoticeFormErrors]>([
    ['no name', { name: '' }, { name: 'Enter your full name.' }],
    ['no email', { email: undefined }, { email: expect.stringContaining('Enter your email address') }],
    ['a bad email', { email: 'up at site' }, { email: 'Enter a valid email address, such as me@example.org.' }],
    ['no phone', { phone: '' }, { phone: 'Enter a telephone number: the law asks for one.' }],
    ['no address', { address: '' }, { address: 'Enter your street address.' }],
    ['no country', { country: '' }, { country: 'Enter the country of your address.' }],
    ['no urls', { removedUrls: ' \n ' }, { removedUrls: expect.stringContaining('List at least one address') }],
    ['no mistake statement', { mistakeStatement: undefined }, { mistakeStatement: expect.stringContaining('perjury') }],
    ['no consent', { consentToJurisdiction: 'no' }, { consentToJurisdiction: 'A counter-notice needs this consent.' }],
    ['a one-letter signature', { signature: 'U' }, { signature: 'Sign by typing your full legal name.' }],
    [
      'a malformed case reference',
      { caseReference: 'case 12' },
      { caseReference: expect.stringContaining('such as DMCA-2026-000123') },
    ],
    ['no case reference (the URLs find the case)', { caseReference: '' }, {}],
    [
      'a name over the DTO limit',
      { name: 'x'.repeat(301) },
      { name: 'This field must be shorter than or equal to 300 characters.' },
    ],
    [
      'an explanation over the DTO limit',
      { explanation: 'x'.repeat(COUNTER_NOTICE_MAX_TEXT + 1) },
      { explanation: `This field must be shorter than or equal to ${COUNTER_NOTICE_MAX_TEXT} characters.` },
    ],
    [
      'a URL over the DTO limit',
      { removedUrls: `https://example.com/${'x'.repeat(4100)}` },
      { removedUrls: 'Each address must be shorter than or equal to 4096 characters.' },
    ],
    [
      'too many URLs',
      { removedUrls: Array.from({ length: COUNTER_NOTICE_MAX_URLS + 1 }, (_, i) => `https://e.com/${i}`).join('\n') },
      { removedUrls: `List at most ${COUNTER_NOTICE_MAX_URLS} addresses; send several counter-notices for more.` },
    ],
  ])('%s', async (_label, patch, expected) => {
    expect(await errorsFor(patch)).toEqual(expected);
  });
});

describe('checkCounterNoticeForm in Chinese', () => {
  it('words every problem from the catalog, limits included', async () => {
    const fields: CounterNoticeFormFields = { ...VALID, name: 'x'.repeat(301), email: 'up at site', signature: '' };
    const errors = await checkCounterNoticeForm(fields, counterNoticeFromForm(fields), sayZh);
    expect(errors).toEqual({
      name: '此栏不得超过 300 个字符。',
      email: '请填写有效的电子邮箱，例如 me@example.org。',
      signature: '请输入您的法定全名作为签名。',
    });
    const empty = await checkCounterNoticeForm({}, counterNoticeFromForm({}), sayZh);
    expect(Object.values(empty).join('')).not.toMatch(/[A-Za-z]{4,}/);
  });
});
