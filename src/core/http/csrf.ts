import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from './cookies';

const COOKIE = 'td_csrf';
const TOKEN = /^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/;

/**
 * Double-submit CSRF protection for the public form: the token sits in an HttpOnly, SameSite=Strict cookie and in a
 * hidden field, and a post is accepted only when the two match. Tokens are signed with APP_SECRET, so a value planted
 * in the cookie by someone else is not accepted.
 */
export function issueCsrfToken(req: Request, res: Response, secret: string): string {
  const existing = readCookie(req, COOKIE);
  const token = existing && isSigned(existing, secret) ? existing : sign(randomBytes(24).toString('base64url'), secret);
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  return token;
}

export function verifyCsrfToken(req: Request, submitted: unknown, secret: string): boolean {
  const cookie = readCookie(req, COOKIE);
  if (!cookie || typeof submitted !== 'string' || !isSigned(cookie, secret)) return false;
  return safeEqual(cookie, submitted);
}

function sign(nonce: string, secret: string): string {
  return `${nonce}.${createHmac('sha256', secret).update(nonce).digest('base64url')}`;
}

function isSigned(token: string, secret: string): boolean {
  return TOKEN.test(token) && safeEqual(token, sign(token.slice(0, token.indexOf('.')), secret));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
