import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { API_TOKEN_PREFIX, sha256, StaffAuthService } from '../../src/auth/staff-auth.service';
import { StaffRole } from '../../src/auth/staff-user.entity';
import { uniqueId } from './harness';

export interface StaffFixture {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  /** A live API token of the user's, for `Authorization: Bearer …`. */
  token: string;
}

/**
 * A staff account under an email no other test uses, with a password and an API token. With a TypeORM DataSource it
 * goes through StaffAuthService itself; with a pg Client (what most test files hold) it writes the same rows: an
 * argon2id hash, and the token's SHA-256.
 */
export async function createStaff(
  db: DataSource | Client,
  role: StaffRole | `${StaffRole}`,
  options: { email?: string; name?: string; password?: string } = {},
): Promise<StaffFixture> {
  const n = uniqueId();
  const email = (options.email ?? `${role}-${n}@staff.example.org`).toLowerCase();
  const name = options.name ?? `${role[0].toUpperCase()}${role.slice(1)} ${n}`;
  const password = options.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const staffRole = role as StaffRole;

  if (db instanceof DataSource) {
    const auth = new StaffAuthService(db);
    const user = await auth.createUser(email, name, staffRole, password, 'system');
    const { plain } = await auth.createApiToken(user.id, 'test');
    return { id: user.id, email, name, role: staffRole, password, token: plain };
  }
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO staff_users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
    [email, name, staffRole, passwordHash],
  );
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, 'test', $2)`, [
    rows[0].id,
    sha256(token),
  ]);
  return { id: rows[0].id, email, name, role: staffRole, password, token };
}

/** The sign-in page's CSRF token and the cookie that goes with it. */
export async function openSignIn(baseUrl: string): Promise<{ csrf: string; cookie: string }> {
  const res = await fetch(`${baseUrl}/staff/login`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('td_csrf='))
    ?.split(';')[0];
  if (!csrf || !cookie) throw new Error('The sign-in page carries no CSRF token');
  return { csrf, cookie };
}

/** Signs in through POST /staff/login as a browser would; returns the session cookie as `td_session=…`. */
export async function signIn(baseUrl: string, staff: { email: string; password: string }): Promise<string> {
  const { csrf, cookie } = await openSignIn(baseUrl);
  const res = await fetch(`${baseUrl}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, email: staff.email, password: staff.password }).toString(),
  });
  const session = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('td_session='))
    ?.split(';')[0];
  if (res.status !== 303 || !session) throw new Error(`Sign-in as ${staff.email} failed with ${res.status}`);
  return session;
}
