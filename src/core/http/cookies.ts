import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';

/** Parses the Cookie header once per request (cookie-parser), for readCookie. Mounted in http-app.ts. */
export const parseCookies = cookieParser();

/** One cookie of the request, decoded; undefined when absent or not decodable. */
export function readCookie(req: Request, name: string): string | undefined {
  // A request that did not pass the middleware (an Express mount before it, a unit test) is parsed here, once.
  if (req.cookies === undefined) parseCookies(req, {} as Response, () => undefined);
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
