import { TemplateRenderer } from '../core/templates/template-renderer';
import { privacyRequestFromForm, readPrivacyForm, validatePrivacyForm } from './privacy-request-form';

const renderer = new TemplateRenderer();
const say = (key: string, values?: Record<string, unknown>): string => renderer.translate('en', key, values);
const sayZh = (key: string, values?: Record<string, unknown>): string => renderer.translate('zh-Hans', key, values);

describe('the privacy request form', () => {
  it('reads the known fields trimmed and ignores the rest', () => {
    expect(
      readPrivacyForm({ email: ' jo@example.org ', kind: 'erasure', _csrf: 'x', other: 'y', minor: ['a'] }),
    ).toEqual({ email: 'jo@example.org', kind: 'erasure' });
    expect(readPrivacyForm(undefined)).toEqual({});
  });

  it.each([
    [{ email: 'jo@example.org', kind: 'access' }, {}],
    [{ email: 'jo@example.org', kind: 'erasure', minor: 'yes', requesterEmail: 'mum@example.org' }, {}],
    [{}, { email: 'Enter the email address the data is about.', kind: expect.stringContaining('Choose') }],
    [{ email: 'jo@', kind: 'erasure' }, { email: expect.stringContaining('valid email') }],
    [
      { email: 'jo@example.org', kind: 'access', minor: 'yes', requesterEmail: 'mum@example.org' },
      { kind: expect.stringContaining('choose erasure') },
    ],
    [
      { email: 'jo@example.org', kind: 'erasure', minor: 'yes' },
      { requesterEmail: expect.stringContaining('your own email') },
    ],
    [
      { email: 'jo@example.org', kind: 'erasure', minor: 'yes', requesterEmail: 'JO@example.org' },
      { requesterEmail: "Enter your own address, not the child's." },
    ],
    [
      { email: `${'a'.repeat(320)}@example.org`, kind: 'erasure' },
      { email: expect.stringContaining('under 320 characters') },
    ],
    [
      { email: 'jo@example.org', kind: 'erasure', details: 'd'.repeat(5001) },
      { details: expect.stringContaining('(it has 5,001)') },
    ],
  ])('%j has errors %j', (fields, errors) => {
    expect(validatePrivacyForm(fields, say)).toEqual(errors);
  });

  it('says what to fix in Chinese on the Chinese form', () => {
    expect(validatePrivacyForm({ email: 'jo@', details: 'd'.repeat(5001) }, sayZh)).toEqual({
      email: '请填写有效的电子邮箱，例如 jo@example.org。',
      kind: '请选择您希望获取信息副本还是删除信息。',
      details: '此栏不得超过 5,000 个字符（目前为 5,001 个）。',
    });
  });

  it('asks for the parent only when the box is ticked', () => {
    expect(
      privacyRequestFromForm({ email: 'jo@example.org', kind: 'erasure', requesterEmail: 'mum@example.org' }, 'en'),
    ).toEqual({
      language: 'en',
      kind: 'erasure',
      email: 'jo@example.org',
      minor: false,
      requesterEmail: undefined,
      details: undefined,
    });
    expect(
      privacyRequestFromForm(
        {
          email: 'jo@example.org',
          kind: 'erasure',
          minor: 'yes',
          requesterEmail: 'mum@example.org',
          details: 'x',
        },
        'zh-Hans',
      ),
    ).toMatchObject({ minor: true, requesterEmail: 'mum@example.org', details: 'x', language: 'zh-Hans' });
  });
});
