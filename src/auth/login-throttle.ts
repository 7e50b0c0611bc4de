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

/** One counter: an account or a client address, hashed, and how long it may be made to wait at most. */
export interface ThrottleKey {
  key: string;
  maxDelayMs: number;
}

/**
 * Failed sign-ins in a row per account and per client address, in Postgres (`login_attempts`), so that every API
 * process sees the same counts, and sign-in keeps working while Redis is down. After a few free failures each
 * further attempt waits a delay that doubles, capped low for an account (a stranger guessing at it keeps its owner
 * out for that long at most) and high for an address (one client guessing on is slowed right down). An attempt
 * made before its delay is over is not checked at all, and does not count.
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
   * proxies TRUST_PROXY names). A blank email has no account counter.
   */
  keysFor(email: string, ip: string | undefined): ThrottleKey[] {
    const account = normaliseEmail(email);
    const keys = [{ key: this.hash('address', clientAddress(ip)), maxDelayMs: this.policy.addressMaxDelayMs }];
    if (account) keys.push({ key: this.hash('account', account), maxDelayMs: this.policy.accountMaxDelayMs });
    return keys;
  }

  /**
   * Takes an attempt: when no key is waiting, counts it against every key as a failure (cleared on success), so
   * that parallel guesses cannot all slip in before the first is checked, and answers 0. Otherwise changes
   * nothing and answers the milliseconds until the attempt may be made.
   */
  take(keys: ThrottleKey[]): Promise<number> {
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : 1));
    const ids = sorted.map((k) => k.key);
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO login_attempts (key) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (key) DO NOTHING`,
        [ids],
      );
      const rows = await m.query<{ key: string; failures: number; forgotten: boolean; waitMs: number }[]>(
        `SELECT key, failures, updated_at < now() - make_interval(hours => $2) AS forgotten,
                GREATEST(0, ceil(extract(epoch FROM next_allowed_at - clock_timestamp()) * 1000))::int AS "waitMs"
         FROM login_attempts WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [ids, LOGIN_FAILURE_MEMORY_HOURS],
      );
      const waitMs = Math.max(0, ...rows.map((r) => r.waitMs));
      if (waitMs > 0) return waitMs;
      const failures = rows.map((r) => (r.forgotten ? 1 : r.failures + 1));
      const delays = rows.map((r, i) =>
        loginDelayMs(failures[i], { ...this.policy, maxDelayMs: sorted.find((k) => k.key === r.key)!.maxDelayMs }),
      );
      // now() is when this transaction began, maybe before a parallel one that held the lock committed: a free
      // failure leaves the time alone, and a delay runs from the clock, or parallel sign-ins would wait on each other.
      await m.query(
        `UPDATE login_attempts a
         SET failures = v.failures, updated_at = now(),
             next_allowed_at = CASE WHEN v.delay_ms > 0
                                    THEN clock_timestamp() + make_interval(secs => v.delay_ms / 1000.0)
                                    ELSE a.next_allowed_at END
         FROM unnest($1::text[], $2::int[], $3::int[]) AS v(key, failures, delay_ms) WHERE a.key = v.key`,
        [rows.map((r) => r.key), failures, delays],
      );
      await m.query(
        `DELETE FROM login_attempts WHERE key IN (
           SELECT key FROM login_attempts
           WHERE updated_at < now() - make_interval(hours => $1) AND key <> ALL($2)
           ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED)`,
        [LOGIN_FAILURE_MEMORY_HOURS, ids, PRUNE_BATCH],
      );
      return 0;
    });
  }

  /** Forgets the keys' failures: a sign-in succeeded. */
  async clear(keys: ThrottleKey[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempts WHERE key = ANY($1)`, [keys.map((k) => k.key)]);
  }

  private hash(kind: 'account' | 'address', value: string): string {
    return `${kind}:${createHmac('sha256', this.secret).update(`${kind}:${value}`).digest('base64url')}`;
  }
}
