import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { readCookie } from '../core/http/cookies';

/** The flash message: what the page after a redirect tells the staff member about what they just did. */

/** One case's result in a bulk action, as the queue shows it after the redirect. */
export interface FlashResult {
  reference: string;
  ok: boolean;
  status?: string;
  error?: string;
}

/** What the page after a redirect tells the staff member: the outcome of what they just did. */
export interface Flash {
  /** The page that shows it: another page leaves it for its own. */
  path: string;
  ok: boolean;
  message: string;
  results?: FlashResult[];
  /** Results left out to keep the cookie small: how many succeeded and how many failed. */
  omitted?: { ok: number; failed: number };
}

const FLASH_COOKIE = 'td_flash';
/** Browsers keep cookies up to 4 KB; the signature and attributes need the rest. */
const FLASH_MAX_CHARS = 3_400;
const FLASH_ERROR_MAX = 200;

/**
 * Leaves a message for the next page in a short-lived cookie signed with APP_SECRET (so that no one else can
 * plant one), compressed, and shortened until it fits: bulk results keep every failure with its reason as long as
 * they can, and count the rest.
 */
export function setFlash(req: Request, res: Response, secret: string, flash: Flash): void {
  const value = encodeFlash(flash, secret);
  res.cookie(FLASH_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/staff',
    maxAge: 60_000,
  });
}

/** The flash left for this page, if any; it is shown once. */
export function takeFlash(req: Request, res: Response, secret: string, path: string): Flash | null {
  const raw = readCookie(req, FLASH_COOKIE);
  const flash = raw ? decodeFlash(raw, secret) : null;
  if (!raw || (flash && flash.path !== path)) return null;
  res.clearCookie(FLASH_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/staff' });
  return flash;
}

export function encodeFlash(flash: Flash, secret: string): string {
  const attempts: (() => Flash)[] = [
    () => flash,
    () => ({ ...flash, results: flash.results?.map((r) => ({ ...r, error: r.error?.slice(0, FLASH_ERROR_MAX) })) }),
    () => {
      const results = flash.results ?? [];
      const failed = results.filter((r) => !r.ok).map((r) => ({ ...r, error: r.error?.slice(0, FLASH_ERROR_MAX) }));
      return { ...flash, results: failed, omitted: { ok: results.length - failed.length, failed: 0 } };
    },
  ];
  for (const attempt of attempts) {
    const value = seal(attempt(), secret);
    if (value.length <= FLASH_MAX_CHARS) return value;
  }
  // Still too long: keep as many failures as fit.
  const results = flash.results ?? [];
  const failed = results.filter((r) => !r.ok).map((r) => ({ ...r, error: r.error?.slice(0, 80) }));
  for (let keep = failed.length; keep >= 0; keep = keep > 8 ? Math.floor(keep * 0.7) : keep - 1) {
    const omitted = { ok: results.length - failed.length, failed: failed.length - keep };
    const value = seal(
      { ...flash, message: flash.message.slice(0, 500), results: failed.slice(0, keep), omitted },
      secret,
    );
    if (value.length <= FLASH_MAX_CHARS) return value;
  }
  return seal({ path: flash.path, ok: flash.ok, message: flash.message.slice(0, 500) }, secret);
}

export function decodeFlash(value: string, secret: string): Flash | null {
  const dot = value.lastIndexOf('.');
  if (dot < 0) return null;
  const body = value.slice(0, dot);
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(value.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(
      inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: 1_000_000 }).toString('utf8'),
    ) as Flash;
    return typeof parsed.path === 'string' && typeof parsed.message === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function seal(flash: Flash, secret: string): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(flash))).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`flash:${body}`).digest('base64url');
}
