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
/**
 * A client of its own: a random /64 of the documentation range (2001:db8::/32), one of four billion, so that no
 * address used here meets one that an earlier run left waiting.
 */
const someNet = (): string => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;
/** Loopback is the proxy, and X-Forwarded-For names the client. */
const PROXIED = { TRUST_PROXY: '127.0.0.1' };

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

  it('lets the owner in at once from an address of their own, every time, while a stranger keeps failing from many', async () => {
    const { url } = await api({ ...SLOW, ...PROXIED, LOGIN_ACCOUNT_FREE_FAILURES: '1000' });
    const owner = await createStaff(client, 'legal');
    const home = someNet();
    const reused = [someNet(), someNet()];
    const strangerWaits: number[] = [];
    for (let round = 0; round < 6; round++) {
      // Fresh addresses (a botnet): each is checked, since the account as a whole is far from its own threshold.
      for (let i = 0; i < 3; i++) {
        expect((await signInAs(url, owner.email, `guess-${round}-${i}`, from(someNet()))).status).toBe(401);
      }
      // Addresses that come back to the account: once their own free failures are spent, they wait.
      for (const address of [reused[round % 2], reused[round % 2]]) {
        const res = await signInAs(url, owner.email, `again-${round}`, from(address));
        if (res.status === 429) strangerWaits.push(res.retryAfter!);
        else expect(res.status).toBe(401);
      }
      // 15 failures by now and the account's delay is ten minutes, but none of them came from here.
      const res = await signInAs(url, owner.email, owner.password, from(home));
      expect(res.status).toBe(303);
      expect(res.session).toBeDefined();
    }
    // Each reused address: two free failures, a third that is checked and starts its delay, then only waits.
    expect(strangerWaits).toHaveLength(2 * (6 - 3));
    for (const wait of strangerWaits) {
      expect(wait).toBeGreaterThan(500);
      expect(wait).toBeLessThanOrEqual(600);
    }
  });

  it('makes every address wait the account delay, the owner too, once the account as a whole passes its threshold', async () => {
    const { url } = await api({ ...SLOW, ...PROXIED, LOGIN_ACCOUNT_FREE_FAILURES: '6' });
    const owner = await createStaff(client, 'legal');
    // Six free failures at the account, and a seventh that is checked and starts its delay for everyone.
    for (let i = 1; i <= 7; i++) {
      expect((await signInAs(url, owner.email, `guess-${i}`, from(someNet()))).status).toBe(401);
    }
    const stranger = await signInAs(url, owner.email, 'guess-8', from(someNet()));
    expect(stranger.status).toBe(429);
    expect(stranger.retryAfter).toBeGreaterThan(500);
    expect((await signInAs(url, owner.email, owner.password, from(someNet()))).status).toBe(429);
    // Other accounts are not held.
    expect((await signInAs(url, someEmail(), 'a-guess', from(someNet()))).status).toBe(401);
  });

  it("does not clear an address's failures at other accounts when someone signs in from it", async () => {
    const { url } = await api({ ...SLOW, ...PROXIED });
    const colleague = await createStaff(client, 'admin');
    const insider = await createStaff(client, 'viewer');
    const desk = someNet();
    expect((await signInAs(url, colleague.email, 'guess-1', from(desk))).status).toBe(401);
    expect((await signInAs(url, colleague.email, 'guess-2', from(desk))).status).toBe(401);
    // Their own sign-in is not held, and forgets only their own attempts from here...
    expect((await signInAs(url, insider.email, insider.password, from(desk))).status).toBe(303);
    // ...so the guesses at the colleague still count: one more is checked and starts the delay, and that is all.
    expect((await signInAs(url, someEmail(), 'guess-3', from(desk))).status).toBe(401);
    const held = await signInAs(url, colleague.email, 'guess-4', from(desk));
    expect(held.status).toBe(429);
    expect(held.retryAfter).toBeGreaterThan(500);
  });

  it('checks only the free failures and one more of a burst of parallel guesses, at an account or an address', async () => {
    const { url } = await api({ ...SLOW, ...PROXIED, LOGIN_ACCOUNT_FREE_FAILURES: '2' });
    const count = (answers: SignInAnswer[], status: number) => answers.filter((a) => a.status === status).length;
    // From many addresses at once: the account's row lock counts them one by one, and its threshold holds them.
    const owner = await createStaff(client, 'legal');
    const spread = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signInAs(url, owner.email, `guess-${i}`, from(someNet()))),
    );
    expect([count(spread, 401), count(spread, 429)]).toEqual([3, 5]);
    // From one address at one account at once.
    const desk = someNet();
    const victim = await createStaff(client, 'legal');
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signInAs(url, victim.email, `guess-${i}`, from(desk))),
    );
    expect([count(burst, 401), count(burst, 429)]).toEqual([3, 5]);
  });

  it("forgets each sign-in's own attempts at its address, typos too, so that an office's staff do not add up", async () => {
    const { url } = await api({ ...SLOW, ...PROXIED });
    const office = someNet();
    for (let i = 0; i < 4; i++) {
      const staff = await createStaff(client, 'viewer');
      expect((await signInAs(url, staff.email, 'a-typo', from(office))).status).toBe(401);
      expect((await signInAs(url, staff.email, staff.password, from(office))).status).toBe(303);
    }
    // Eight attempts from here, and the address still has all its free failures.
    for (let i = 0; i < 3; i++) expect((await signInAs(url, someEmail(), 'a-guess', from(office))).status).toBe(401);
    expect((await signInAs(url, someEmail(), 'a-guess', from(office))).status).toBe(429);
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
    // From an address that has not failed at the account, the owner gets in: three failures in all are far from
    // the account's own threshold.
    expect((await signInAs(b.url, owner.email, owner.password, from(someNet()))).status).toBe(303);

    const other = await createStaff(client, 'viewer');
    const home = someAddress();
    expect((await signInAs(a.url, other.email, 'wrong-1', from(home))).status).toBe(401);
    expect((await signInAs(b.url, other.email, other.password, from(home))).status).toBe(303);
    // The sign-in cleared the account's failures and its own at the address: two more are free again.
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
