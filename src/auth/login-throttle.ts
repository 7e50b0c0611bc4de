import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { DataSource } from 'typeorm';
import { type AppConfig, appConfig, type AuthConfig, authConfig } from '../core/config';
import { normaliseEmail } from './staff-auth.service';

/** A key's failures are forgotten this long after its last attempt, and its row is pruned. */
export const LOGIN_FAILURE_MEMORY_HOURS = 24;
/** Forgotten rows deleted per attempt: enough to keep up with any rate of new keys, little enough to be cheap. */
const PRUNE_BATCH = 100;

export interface LoginDelayPolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long a key waits after its `failures`-th failure in a row: nothing for the first `freeFailures`, then
 * `baseDelayMs`, doubling with each further failure, never more than `maxDelayMs`.
 */
export function loginDelayMs(failures: number, policy: LoginDelayPolicy): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over - 1, 40));
}

/**
 * The address that counts as one client: an IPv4 address as it is (also when IPv4-mapped), an IPv6 address by its
 * /64, since one subscriber is handed a whole /64 and could otherwise take a fresh address for every guess.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail] = ip.toLowerCase().split('::');
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const width = (groups: string[]) => groups.length + (groups.at(-1)?.includes('.') ? 1 : 0);
  const groups =
    tail === undefined ? first : [...first, ...Array<string>(8 - width(first) - width(last)).fill('0'), ...last];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The counters of one sign-in, each an HMAC of what it counts: the client address, and with an email the account and
 * the pair (account, address).
 */
export interface SignInKeys {
  address: string;
  account?: string;
  pair?: string;
}

/**
 * What take() answers: the milliseconds to wait, or an attempt counted as a failure, with what succeeded() needs to
 * take it back at the address (the address's next-allowed time before the attempt and as the attempt set it).
 */
export type LoginAttemptTicket =
  { taken: false; waitMs: number } | { taken: true; keys: SignInKeys; addressWas: string; addressSet: string };

interface CounterRow {
  key: string;
  failures: number;
  forgotten: boolean;
  waitMs: number;
  nextAllowedAt: string;
}

/**
 * Failed sign-ins per client address, per account and per (account, address), in Postgres (`login_attempts`), so
 * that every API process sees the same counts, and sign-in keeps working while Redis is down. After a few free
 * failures each further attempt on a counter waits a delay that doubles: up to a high cap for an address and for an
 * address at one account (one client guessing on is slowed right down), up to a low cap for the account as a whole.
 * The account's delay holds only the addresses that have spent their free failures at it, until the account's
 * failures from every address together pass a much higher threshold: a stranger with many addresses does not keep
 * the owner out from an address of their own. An attempt made before its delay is over is not checked at all, and
 * does not count. A sign-in forgets the account's failures and its own at the address, not others' (see README).
 */
@Injectable()
export class LoginThrottle {
  private readonly policy: AuthConfig['login'];
  private readonly secret: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) auth: AuthConfig,
    @Inject(appConfig.KEY) app: AppConfig,
  ) {
    this.policy = auth.login;
    this.secret = app.secret;
  }

  /**
   * The counters of a sign-in as `email` from `ip` (Express's req.ip, which believes X-Forwarded-For only from the
   * proxies TRUST_PROXY names). A blank email has no account or pair counter.
   */
  keysFor(email: string, ip: string | undefined): SignInKeys {
    const account = normaliseEmail(email);
    const address = clientAddress(ip);
    const keys: SignInKeys = { address: this.hash('address', address) };
    if (account) {
      keys.account = this.hash('account', account);
      keys.pair = this.hash('pair', `${account}\n${address}`);
    }
    return keys;
  }

  /**
   * Takes an attempt: when it need not wait, counts it against every key as a failure (taken back on success), so
   * that parallel guesses cannot all slip in before the first is checked. Otherwise changes nothing and answers the
   * milliseconds until the attempt may be made.
   */
  take(keys: SignInKeys): Promise<LoginAttemptTicket> {
    const ids = idsOf(keys);
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO login_attempts (key) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (key) DO NOTHING`,
        [ids],
      );
      const rows = await m.query<CounterRow[]>(
        `SELECT key, failures, updated_at < now() - make_interval(hours => $2) AS forgotten,
                GREATEST(0, ceil(extract(epoch FROM next_allowed_at - clock_timestamp()) * 1000))::int AS "waitMs",
                next_allowed_at::text AS "nextAllowedAt"
         FROM login_attempts WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [ids, LOGIN_FAILURE_MEMORY_HOURS],
      );
      const row = (key: string | undefined) => rows.find((r) => r.key === key);
      const recent = (r: CounterRow | undefined) => (!r || r.forgotten ? 0 : r.failures);
      const address = row(keys.address)!;
      const account = row(keys.account);
      // Past its free failures at the account, not at the first: an owner's typo at home does not put them behind
      // the delay a botnet keeps pushing on.
      const accountHolds =
        recent(row(keys.pair)) > this.policy.freeFailures || recent(account) > this.policy.accountFreeFailures;
      const waitMs = Math.max(
        ...rows.filter((r) => r !== account).map((r) => r.waitMs),
        accountHolds ? (account?.waitMs ?? 0) : 0,
      );
      if (waitMs > 0) return { taken: false, waitMs };
      const failures = rows.map((r) => recent(r) + 1);
      const delays = rows.map((r, i) =>
        loginDelayMs(failures[i], {
          ...this.policy,
          maxDelayMs: r === account ? this.policy.accountMaxDelayMs : this.policy.addressMaxDelayMs,
        }),
      );
      // now() is when this transaction began, maybe before a parallel one that held the lock committed: a free
      // failure leaves the time alone, and a delay runs from the clock, or parallel sign-ins would wait on each other.
      // (The SELECT around the UPDATE makes TypeORM answer the rows alone.)
      const updated = await m.query<{ key: string; nextAllowedAt: string }[]>(
        `WITH u AS (
           UPDATE login_attempts a
           SET failures = v.failures, updated_at = now(),
               next_allowed_at = CASE WHEN v.delay_ms > 0
                                      THEN clock_timestamp() + make_interval(secs => v.delay_ms / 1000.0)
                                      ELSE a.next_allowed_at END
           FROM unnest($1::text[], $2::int[], $3::int[]) AS v(key, failures, delay_ms) WHERE a.key = v.key
           RETURNING a.key, a.next_allowed_at)
         SELECT key, next_allowed_at::text AS "nextAllowedAt" FROM u`,
        [rows.map((r) => r.key), failures, delays],
      );
      await m.query(
        `DELETE FROM login_attempts WHERE key IN (
           SELECT key FROM login_attempts
           WHERE updated_at < now() - make_interval(hours => $1) AND key <> ALL($2)
           ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED)`,
        [LOGIN_FAILURE_MEMORY_HOURS, ids, PRUNE_BATCH],
      );
      const addressSet = updated.find((r) => r.key === keys.address)!.nextAllowedAt;
      return { taken: true, keys, addressWas: address.nextAllowedAt, addressSet };
    });
  }

  /**
   * A taken attempt's password was right: forgets the account's failures and the pair's, and takes the pair's
   * failures (its owner's own, this attempt among them) off the address. The address keeps its failures at other
   * accounts, so a sign-in of one's own does not wipe out the delay earned guessing at a colleague's.
   */
  async succeeded(attempt: Extract<LoginAttemptTicket, { taken: true }>): Promise<void> {
    const { keys } = attempt;
    await this.dataSource.transaction(async (m) => {
      // The same rows locked in the same order as take(), so the two never deadlock.
      const rows = await m.query<{ key: string; failures: number }[]>(
        `SELECT key, failures FROM login_attempts WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [idsOf(keys)],
      );
      const own = rows.find((r) => r.key === keys.pair)?.failures ?? 1;
      // This attempt's delay at the address is undone, unless a parallel attempt has set another since.
      await m.query(
        `UPDATE login_attempts
         SET failures = GREATEST(0, failures - $2),
             next_allowed_at = CASE WHEN next_allowed_at = $4::timestamptz THEN $3::timestamptz
                                    ELSE next_allowed_at END
         WHERE key = $1`,
        [keys.address, own, attempt.addressWas, attempt.addressSet],
      );
      await m.query(`DELETE FROM login_attempts WHERE key = ANY($1)`, [
        [keys.account, keys.pair].filter((k) => k !== undefined),
      ]);
    });
  }

  /** Forgets every failure under these keys (a test's clean slate; an operator's). */
  async clear(keys: SignInKeys): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempts WHERE key = ANY($1)`, [idsOf(keys)]);
  }

  private hash(kind: 'account' | 'address' | 'pair', value: string): string {
    return `${kind}:${createHmac('sha256', this.secret).update(`${kind}:${value}`).digest('base64url')}`;
  }
}

/** The keys in the order every transaction locks them. */
function idsOf(keys: SignInKeys): string[] {
  return [keys.address, keys.account, keys.pair].filter((k) => k !== undefined).sort();
}
