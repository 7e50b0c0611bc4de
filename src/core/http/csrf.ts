import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'td_csrf';

/**
 * Double-submit CSRF protection for the public form: the token sits in an HttpOnly, SameSite=Strict cookie and
 * in a hidden field; a post is accepted only when the two match.
 */
export function issueCsrfToken(req: Request, res: Response): string {
  const existing = readCookie(req, COOKIE);
  const token = existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  return token;
}

export function verifyCsrfToken(req: Request, submitted: unknown): boolean {
  const cookie = readCookie(req, COOKIE);
  if (!cookie || typeof submitted !== 'string') return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
