import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { LoginThrottle } from '../src/auth/login-throttle';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';
import { createStaff, openSignIn } from './support/staff';

/** Delays of a tenth of a second, doubling, an account's capped at one second: the tests wait moments, not minutes. */
const FAST = {
  LOGIN_FREE_FAILURES: '2',
  LOGIN_DELAY_BASE_MS: '100',
  LOGIN_ACCOUNT_DELAY_MAX_MS: '1000',
  LOGIN_ADDRESS_DELAY_MAX_MS: '600000',
};
/** Delays longer than any test: what is refused stays refused while the test looks at it. */
const SLOW = {
  LOGIN_FREE_FAILURES: '2',
  LOGIN_DELAY_BASE_MS: '600000',
  LOGIN_ACCOUNT_DELAY_MAX_MS: '600000',
  LOGIN_ADDRESS_DELAY_MAX_MS: '600000',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An address of the benchmarking range (198.18.0.0/15) no other test uses. */
const someAddress = (): string => `198.${18 + (randomBytes(1)[0] & 1)}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const someEmail = (): string => `nobody-${uniqueId()}@staff.example.org`;

interface SignInAnswer {
  status: number;
  retryAfter: number | null;
  session: string | undefined;
}

async function signInAs(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<SignInAnswer> {
  const { csrf, cookie } = await openSignIn(baseUrl);
  const res = await fetch(`${baseUrl}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  await res.text();
  const retryAfter = res.headers.get('retry-after');
  return {
    status: res.status,
    retryAfter: retryAfter === null ? null : Number(retryAfter),
    session: res.headers.getSetCookie().find((c) => c.startsWith('td_session=')),
  };
}

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('sign-in delays', () => {
  let client: Client;
  const apis: RunningApi[] = [];
  beforeAll(async () => {
    client = await db();
  });
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });
  afterAll(async () => {
    await client?.end();
  });
  async function api(env: Record<string, string>): Promise<RunningApi> {
    const started = await startApi(env);
    apis.push(started);
    return started;
  }

  it('lets the right password in after the short account delay, though a stranger kept failing from many addresses', async () => {
    const { url } = await api(FAST);
    const owner = await createStaff(client, 'legal');
    // The stranger rotates addresses (a botnet), so only the account's own delay holds them back.
    let checked = 0;
    let refused = 0;
    for (let attempts = 0; checked < 8; attempts++) {
      expect(attempts).toBeLessThan(500);
      const res = await signInAs(url, owner.email, `wrong-${checked}`, from(someAddress()));
      if (res.status === 401) {
        checked++;
        continue;
      }
      // A refused attempt is not checked: the answer says when to come back, and that is at most the account's cap.
      expect(res).toEqual({ status: 429, retryAfter: 1, session: undefined });
      refused++;
      await sleep(100);
    }
    expect(refused).toBeGreaterThan(0);

    let res: SignInAnswer;
    for (let tries = 0; ; tries++) {
      res = await signInAs(url, owner.email, owner.password, from(someAddress()));
      if (res.status !== 429) break;
      expect(res.retryAfter).toBe(1);
      expect(tries).toBeLessThan(5);
      await sleep(res.retryAfter! * 1000);
    }
    expect(res.status).toBe(303);
    expect(res.session).toBeDefined();
  });

  it('makes an address that keeps failing wait ever longer, beyond any account, and no one else', async () => {
    const { url } = await api(FAST);
    const stranger = someAddress();
    const waits: number[] = [];
    // Guessing a different account each time (password spraying): only the address's delay grows.
    for (let attempts = 0; !waits.some((w) => w >= 2); attempts++) {
      expect(attempts).toBeLessThan(500);
      const res = await signInAs(url, someEmail(), 'a-guess', from(stranger));
      if (res.status === 429) {
        waits.push(res.retryAfter!);
        await sleep(100);
      } else expect(res.status).toBe(401);
    }
    // It began at a moment's wait and grew past the account cap of one second.
    expect(waits[0]).toBe(1);

    const owner = await createStaff(client, 'viewer');
    expect((await signInAs(url, owner.email, owner.password, from(someAddress()))).status).toBe(303);
    expect((await signInAs(url, someEmail(), 'a-guess', from(someAddress()))).status).toBe(401);
  });

  it('lets staff behind one address sign in at the same moment', async () => {
    const { url } = await api({});
    const office = someAddress();
    const staff = await Promise.all([1, 2, 3, 4].map(() => createStaff(client, 'viewer')));
    const answers = await Promise.all(staff.map((s) => signInAs(url, s.email, s.password, from(office))));
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303]);
  });

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    const { url } = await api(SLOW);
    const [a, b] = [randomBytes(2).readUInt16BE(), randomBytes(2).readUInt16BE() & 0xfffe];
    const net = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
    const neighbour = `2001:db8:${a.toString(16)}:${(b + 1).toString(16)}`;
    for (let i = 1; i <= 3; i++) {
      expect((await signInAs(url, someEmail(), 'a-guess', from(`${net}::${i}`))).status).toBe(401);
    }
    expect((await signInAs(url, someEmail(), 'a-guess', from(`${net}:ab:cd:ef:12`))).status).toBe(429);
    expect((await signInAs(url, someEmail(), 'a-guess', from(`${neighbour}::1`))).status).toBe(401);
  });

  it('shares the delays between API processes on one database, and a sign-in clears them', async () => {
    const a = await api(SLOW);
    const b = await api(SLOW);
    const owner = await createStaff(client, 'legal');
    const address = someAddress();
    expect((await signInAs(a.url, owner.email, 'wrong-1', from(address))).status).toBe(401);
    expect((await signInAs(a.url, owner.email, 'wrong-2', from(address))).status).toBe(401);
    expect((await signInAs(b.url, owner.email, 'wrong-3', from(address))).status).toBe(401);
    const refused = await signInAs(a.url, owner.email, owner.password, from(address));
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(500);
    expect(refused.retryAfter).toBeLessThanOrEqual(600);
    expect((await signInAs(b.url, owner.email, owner.password, from(someAddress()))).status).toBe(429);

    const other = await createStaff(client, 'viewer');
    const home = someAddress();
    expect((await signInAs(a.url, other.email, 'wrong-1', from(home))).status).toBe(401);
    expect((await signInAs(b.url, other.email, other.password, from(home))).status).toBe(303);
    // The sign-in cleared both the account's and the address's failures: two more are free again.
    for (const [api, n] of [
      [a, 1],
      [b, 2],
      [a, 3],
    ] as const) {
      expect((await signInAs(api.url, other.email, `wrong-${n}`, from(home))).status).toBe(401);
    }
    expect((await signInAs(b.url, other.email, other.password, from(home))).status).toBe(429);
  });
});

/**
 * Every connection here comes from loopback (tests send traffic to no other address), so "a client TRUST_PROXY does
 * not trust" is made by trusting a proxy subnet elsewhere, and "the proxy" is the loopback address itself.
 */
describe('the client address behind proxies (TRUST_PROXY)', () => {
  let api: RunningApi | undefined;
  afterEach(async () => {
    const throttle = api?.app.get(LoginThrottle);
    await throttle?.clear(throttle.keysFor('', '127.0.0.1'));
    await api?.close();
    api = undefined;
  });

  async function apiTrusting(trustProxy: string): Promise<string> {
    api = await startApi({ ...SLOW, TRUST_PROXY: trustProxy });
    const throttle = api.app.get(LoginThrottle);
    await throttle.clear(throttle.keysFor('', '127.0.0.1'));
    return api.url;
  }

  it('a client connecting directly cannot shake off its delay with a forged X-Forwarded-For', async () => {
    // The proxies are on 10.0.0.0/8; this client (127.0.0.1) is not one of them, so its forwarded header is ignored.
    const url = await apiTrusting('10.0.0.0/8');
    for (let i = 0; i < 3; i++)
      expect((await signInAs(url, someEmail(), 'a-guess', from(someAddress()))).status).toBe(401);
    const res = await signInAs(url, someEmail(), 'a-guess', from(someAddress()));
    expect(res.status).toBe(429);
    // Which is also why a proxy on another host must be named in TRUST_PROXY: until it is, all its clients are one.
  });

  it("TRUST_PROXY=<the proxy's address>: each forwarded client has a delay of its own, forged hops or not", async () => {
    const url = await apiTrusting('127.0.0.1');
    const client = someAddress();
    for (let i = 0; i < 3; i++) expect((await signInAs(url, someEmail(), 'a-guess', from(client))).status).toBe(401);
    expect((await signInAs(url, someEmail(), 'a-guess', from(client))).status).toBe(429);
    // A proxy appends the address it saw to whatever the client sent: the forged part is left of it, and unbelieved.
    expect((await signInAs(url, someEmail(), 'a-guess', from(`${someAddress()}, ${client}`))).status).toBe(429);
    expect((await signInAs(url, someEmail(), 'a-guess', from(someAddress()))).status).toBe(401);
  });
});
