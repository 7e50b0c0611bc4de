import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { accountEvent } from './account-events';
import { ApiToken } from './api-token.entity';
import { StaffRole, StaffUser } from './staff-user.entity';
import { DomainError, type RefusalKind } from '../core/errors';

/** Idle time after which a session ends, and the most any session lives however busy. */
export const SESSION_IDLE_HOURS = 12;
export const SESSION_MAX_DAYS = 7;
export const API_TOKEN_PREFIX = 'tdk_';
export const MIN_PASSWORD_LENGTH = 12;

/** Who a request acts as, once its cookie or token has been checked. */
export interface StaffPrincipal {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  via: 'session' | 'token';
}

/** An account change refused as asked (a password too short, say). */
export class StaffAccountError extends DomainError {
  readonly kind: RefusalKind = 'invalid';
}
export class StaffUserExistsError extends StaffAccountError {
  override readonly kind = 'conflict';
}
export class StaffUserNotFoundError extends StaffAccountError {
  override readonly kind = 'not_found';
}
/** The change would leave no enabled admin, and nobody could manage accounts any more. */
export class LastAdminError extends StaffAccountError {
  override readonly kind = 'conflict';
}

/** A staff account as the admin pages and the user API list it. */
export interface StaffUserSummary {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  disabledAt: Date | null;
  createdAt: Date;
  /** The most recent use of any of its sessions. */
  lastSeenAt: Date | null;
}

export interface AccountEventView {
  id: string;
  at: Date;
  actor: string;
  actorName: string | null;
  action: string;
  subjectId: string | null;
  subjectName: string | null;
  detail: Record<string, unknown>;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const USER_SUMMARY = `SELECT u.id, u.email, u.name, u.role, u.disabled_at AS "disabledAt", u.created_at AS "createdAt",
         (SELECT max(s.last_seen_at) FROM staff_sessions s WHERE s.user_id = u.id) AS "lastSeenAt"
  FROM staff_users u`;
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Staff accounts, passwords, browser sessions and API tokens. Secrets are stored only as hashes. */
@Injectable()
export class StaffAuthService {
  private dummyHash?: Promise<string>;

  constructor(private readonly dataSource: DataSource) {}

  /** `actor`: the staff member making the account, or 'cli' / 'system'; the account log records who. */
  async createUser(email: string, name: string, role: StaffRole, password: string, actor: string): Promise<StaffUser> {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new StaffAccountError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    const users = this.dataSource.getRepository(StaffUser);
    const normalised = normaliseEmail(email);
    const passwordHash = await argon2.hash(password, ARGON2);
    const id = await this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO staff_users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [normalised, name.trim(), role, passwordHash],
      );
      if (!row) throw new StaffUserExistsError(`A staff account for ${normalised} already exists.`);
      await accountEvent(m, actor, 'staff.created', row.id, { email: normalised, role });
      return row.id;
    });
    return users.findOneByOrFail({ id });
  }

  /**
   * The user whose email and password these are, or null. A missing or disabled account costs the same argon2
   * verification as a wrong password, so timing does not tell which addresses have accounts.
   */
  async verifyLogin(email: string, password: string): Promise<StaffUser | null> {
    const user = await this.dataSource.getRepository(StaffUser).findOneBy({ email: normaliseEmail(email) });
    if (!user || user.disabledAt) {
      await argon2.verify(await this.dummy(), password).catch(() => false);
      return null;
    }
    return (await argon2.verify(user.passwordHash, password)) ? user : null;
  }

  /** Starts a session; returns the token for the cookie. Only its hash is stored. */
  async createSession(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO staff_sessions (id, user_id, expires_at, last_seen_at)
         VALUES ($1, $2, now() + make_interval(hours => $3), now())`,
        [sha256(token), userId, SESSION_IDLE_HOURS],
      );
      await accountEvent(m, userId, 'staff.signed_in', userId);
    });
    return token;
  }

  /** The session's user, sliding its expiry forward; null when unknown, expired or the user is disabled. */
  async verifySession(token: string): Promise<StaffPrincipal | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const [rows] = await this.dataSource.query<[PrincipalRow[], number]>(
      `UPDATE staff_sessions s
       SET last_seen_at = now(),
           expires_at = LEAST(s.created_at + make_interval(days => $2), now() + make_interval(hours => $3))
       FROM staff_users u
       WHERE s.id = $1 AND s.expires_at > now() AND u.id = s.user_id AND u.disabled_at IS NULL
       RETURNING u.id, u.email, u.name, u.role`,
      [sha256(token), SESSION_MAX_DAYS, SESSION_IDLE_HOURS],
    );
    return principal(rows, 'session');
  }

  async endSession(token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_sessions WHERE id = $1`, [sha256(token)]);
  }

  /** Makes an API token; the plain token is returned here once and never again. */
  async createApiToken(userId: string, name: string): Promise<{ token: ApiToken; plain: string }> {
    const plain = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const token = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiToken);
      const saved = await repo.save(repo.create({ userId, name: name.trim(), tokenHash: sha256(plain) }));
      await accountEvent(m, userId, 'token.created', userId, { token: saved.id, name: saved.name });
      return saved;
    });
    return { token, plain };
  }

  /** Revokes one of `userId`'s tokens (any token for an admin); false when there is no such live token. */
  async revokeApiToken(id: string, by: { id: string; role: StaffRole }): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [revoked] = await m.query<{ user_id: string; name: string }[]>(
        `WITH revoked AS (UPDATE api_tokens SET revoked_at = now()
                          WHERE id = $1 AND revoked_at IS NULL AND ($3 OR user_id = $2) RETURNING user_id, name)
         SELECT user_id, name FROM revoked`,
        [id, by.id, by.role === StaffRole.Admin],
      );
      if (!revoked) return false;
      await accountEvent(m, by.id, 'token.revoked', revoked.user_id, { token: id, name: revoked.name });
      return true;
    });
  }

  async verifyApiToken(plain: string): Promise<StaffPrincipal | null> {
    if (!plain.startsWith(API_TOKEN_PREFIX) || !TOKEN_SHAPE.test(plain.slice(API_TOKEN_PREFIX.length))) return null;
    const [rows] = await this.dataSource.query<[PrincipalRow[], number]>(
      `UPDATE api_tokens t SET last_used_at = now()
       FROM staff_users u
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.disabled_at IS NULL
       RETURNING u.id, u.email, u.name, u.role`,
      [sha256(plain)],
    );
    return principal(rows, 'token');
  }

  /** Every account, enabled ones first, by name. */
  listUsers(): Promise<StaffUserSummary[]> {
    return this.dataSource.query<StaffUserSummary[]>(
      `${USER_SUMMARY} ORDER BY u.disabled_at IS NOT NULL, lower(u.name), u.email`,
    );
  }

  /**
   * Changes an account's role, or disables or enables it. Disabling ends its sessions and revokes its API tokens
   * for good (enabling again does not bring them back). Refuses a change that would leave no enabled admin.
   */
  async updateUser(
    id: string,
    change: { role?: StaffRole; disabled?: boolean },
    actor: string,
  ): Promise<StaffUserSummary> {
    await this.dataSource.transaction(async (m) => {
      // Lock every enabled admin, so that two admins demoting each other at once cannot both succeed.
      const admins = await m.query<{ id: string }[]>(
        `SELECT id FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
      );
      const [user] = await m.query<{ id: string; role: StaffRole; disabled_at: Date | null }[]>(
        `SELECT id, role, disabled_at FROM staff_users WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!user) throw new StaffUserNotFoundError(`No staff account ${id}.`);
      const role = change.role ?? user.role;
      const disabled = change.disabled ?? user.disabled_at !== null;
      const staysAdmin = role === StaffRole.Admin && !disabled;
      if (!staysAdmin && admins.length === 1 && admins[0].id === id) {
        throw new LastAdminError('This is the only enabled admin account: make another admin first.');
      }
      await m.query(
        `UPDATE staff_users SET role = $2,
                disabled_at = CASE WHEN $3 THEN COALESCE(disabled_at, now()) ELSE NULL END
         WHERE id = $1`,
        [id, role, disabled],
      );
      if (disabled) {
        await m.query(`DELETE FROM staff_sessions WHERE user_id = $1`, [id]);
        await m.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      }
      const was = { role: user.role, disabled: user.disabled_at !== null };
      if (was.role !== role || was.disabled !== disabled) {
        await accountEvent(m, actor, 'staff.updated', id, { from: was, to: { role, disabled } });
      }
    });
    const [user] = await this.dataSource.query<StaffUserSummary[]>(`${USER_SUMMARY} WHERE u.id = $1`, [id]);
    return user;
  }

  /** The account log, newest first: who did what to which account, token or agency key, and every sign-in. */
  listAccountEvents(limit = 100): Promise<AccountEventView[]> {
    return this.dataSource.query<AccountEventView[]>(
      `SELECT e.id, e.at, e.actor, a.name AS "actorName", e.action, e.subject_id AS "subjectId",
              COALESCE(s.name, g.name) AS "subjectName", e.detail
       FROM account_events e
       LEFT JOIN staff_users a ON a.id::text = e.actor
       LEFT JOIN staff_users s ON s.id = e.subject_id
       LEFT JOIN agencies g ON g.id = e.subject_id
       ORDER BY e.id DESC LIMIT $1`,
      [limit],
    );
  }

  /** A staff member's own API tokens, live ones first, newest first. */
  listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
    return this.dataSource.query<ApiTokenSummary[]>(
      `SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM api_tokens WHERE user_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC, id`,
      [userId],
    );
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argon2.hash(randomBytes(16).toString('hex'), ARGON2);
    return this.dummyHash;
  }
}

interface PrincipalRow {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
}

/** TypeORM answers an UPDATE … RETURNING as [rows, count]. */
function principal(rows: PrincipalRow[], via: StaffPrincipal['via']): StaffPrincipal | null {
  const row = rows[0];
  return row ? { id: row.id, email: row.email, name: row.name, role: row.role, via } : null;
}
