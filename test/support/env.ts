/** Settings every end-to-end test starts from; a test may override them before it boots an app. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/takedown_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SITE_DOMAIN = 'example.com';

let overridden: string[] = [];

/** Sets the base settings plus `overrides`; overrides from an earlier call do not linger into this one. */
export function applyTestEnv(overrides: Record<string, string> = {}): void {
  for (const key of overridden) delete process.env[key];
  overridden = Object.keys(overrides);
  Object.assign(process.env, {
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    SITE_DOMAINS: `${SITE_DOMAIN},example-downloads.net`,
    SITE_NAME: 'Example Software',
    PUBLIC_URL: 'http://localhost:3000',
    AGENT_NAME: 'Example DMCA Agent',
    AGENT_EMAIL: 'dmca@example.com',
    TAKEDOWN_DELAY_SECONDS: '0',
    TAKEDOWN_REQUIRE_APPROVAL: 'false',
    // Most tests are about what happens after a takedown, filed as an anonymous API sender: they act on anonymous
    // notices at once. test/auto-action.e2e-spec.ts tests the product's default, which holds them for a person.
    AUTO_ACTION_STANDINGS: 'trusted_flagger,agency,verified,anonymous',
    AUTO_ACTION_MAX_URLS: '100000',
    PAGE_TAKEDOWN_MAX_DOWNLOADS: '100000',
    SWEEP_EVERY_SECONDS: '2',
    // The reconciler re-enqueues owed work it finds in the whole database, whichever test made it: only the tests
    // that are about it (test/reconciler.e2e-spec.ts) turn it on.
    RECONCILE_EVERY_SECONDS: '86400',
    FORM_RATE_LIMIT: '1000',
    // Tests file many notices from one address; test/rate-limits.e2e-spec.ts sets its own limits.
    API_RATE_LIMIT: '100000',
    API_SENDER_RATE_LIMIT: '100000',
    AGENCY_RATE_LIMIT: '100000',
    SMTP_RATE_LIMIT: '100000',
    SMTP_SENDER_RATE_LIMIT: '100000',
    // Tests file many notices from one address; test/letter-cap.e2e-spec.ts sets its own cap.
    LETTER_CAP_PER_RECIPIENT: '10000',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}
