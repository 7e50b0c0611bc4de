import { AppEnv, isSiteDomain } from './app.config';
import { CounterNoticeEnv } from './counter-notice.config';
import { DatabaseEnv } from './database-env';
import { IntakeEnv } from './intake.config';
import { SlaEnv } from './sla.config';
import { TakedownEnv } from './takedown.config';
import { ConfigError, validateEnv } from './validate-env';

describe('configuration', () => {
  it('uses the local defaults when nothing is set', () => {
    const app = validateEnv(AppEnv, {});
    expect(app.PORT).toBe(3000);
    expect(validateEnv(DatabaseEnv, {}).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/takedown');
  });

  it('converts numbers and booleans by the default type', () => {
    expect(validateEnv(AppEnv, { PORT: '8080' }).PORT).toBe(8080);
    expect(validateEnv(TakedownEnv, { TAKEDOWN_REQUIRE_APPROVAL: 'yes' }).TAKEDOWN_REQUIRE_APPROVAL).toBe(true);
    expect(validateEnv(IntakeEnv, { MAX_URLS_PER_NOTICE: ' 500 ' }).MAX_URLS_PER_NOTICE).toBe(500);
  });

  it.each([
    'example.com',
    'softhub.test',
    'downloads.internal',
    'intranet',
    'files.corp.example.co.uk',
    'bücher.example',
    'Example.COM.',
    'xn--bcher-kva.example',
  ])('takes %s as a site domain, whatever its suffix', (d) => {
    expect(isSiteDomain(d)).toBe(true);
  });

  it.each([
    '',
    'not a domain',
    'https://example.com',
    'example.com/path',
    'example.com:8080',
    '*.example.com',
    'example..com',
    '.example.com',
    '-example.com',
    'example-.com',
    'under_score.test',
    '10.0.0.1',
    'user@example.com',
    'com',
    'co.uk',
    `${'a'.repeat(64)}.test`,
  ])('refuses %j as a site domain', (d) => {
    expect(isSiteDomain(d)).toBe(false);
  });

  it('reads a list of site domains with staging suffixes', () => {
    expect(validateEnv(AppEnv, { SITE_DOMAINS: 'softhub.test, downloads.internal,example.com' }).SITE_DOMAINS).toBe(
      'softhub.test, downloads.internal,example.com',
    );
  });

  it.each([
    [AppEnv, { SITE_DOMAINS: 'example.com,,softhub.test' }, 'SITE_DOMAINS'],
    [AppEnv, { SITE_DOMAINS: 'example.com, https://evil.net/' }, 'SITE_DOMAINS'],
    [AppEnv, { PORT: 'eighty' }, 'PORT'],
    [AppEnv, { PORT: '70000' }, 'PORT'],
    [AppEnv, { SITE_DOMAINS: 'not a domain' }, 'SITE_DOMAINS'],
    [AppEnv, { AGENT_EMAIL: 'dmca-at-example' }, 'AGENT_EMAIL'],
    [AppEnv, { APP_SECRET: 'short' }, 'APP_SECRET'],
    [AppEnv, { TRUST_PROXY: 'everyone!' }, 'TRUST_PROXY'],
    [AppEnv, { DEFAULT_LOCALE: 'zh-TW' }, 'DEFAULT_LOCALE'],
    [DatabaseEnv, { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [TakedownEnv, { TAKEDOWN_REQUIRE_APPROVAL: 'maybe' }, 'TAKEDOWN_REQUIRE_APPROVAL'],
    [TakedownEnv, { SITE_ADAPTER: 'ftp' }, 'SITE_ADAPTER'],
    [CounterNoticeEnv, { COUNTER_NOTICE_RESTORE_BUSINESS_DAYS: '9' }, 'COUNTER_NOTICE_RESTORE_BUSINESS_DAYS'],
    [CounterNoticeEnv, { COUNTER_NOTICE_RESTORE_BUSINESS_DAYS: '15' }, 'COUNTER_NOTICE_RESTORE_BUSINESS_DAYS'],
    [IntakeEnv, { MAX_URLS_PER_NOTICE: '0' }, 'MAX_URLS_PER_NOTICE'],
    [SlaEnv, { SLA_TIMEZONE: 'Mars/Olympus_Mons' }, 'SLA_TIMEZONE'],
    [SlaEnv, { SLA_HOLIDAYS: '2026-12-25,Christmas' }, 'SLA_HOLIDAYS'],
    [SlaEnv, { SLA_ACTION_BUSINESS_DAYS: 'two' }, 'SLA_ACTION_BUSINESS_DAYS'],
  ] as [new () => object, Record<string, string>, string][])(
    'refuses a bad %p setting and names %s',
    (cls, env, name) => {
      expect(() => validateEnv(cls, env)).toThrow(ConfigError);
      expect(() => validateEnv(cls, env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}=`));
    },
  );
});
