import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { currentLogContext, type LogContext, runWithLogContext } from '../logging/log-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it looks like one (a proxy's UUID, a trace id); anything else is replaced. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const CONTEXT = Symbol('logContext');
type WithContext = Request & { [CONTEXT]?: LogContext };

/**
 * The request's id: the caller's X-Request-Id when it is a plain token, a new UUID otherwise. It is sent back as
 * X-Request-Id and is the `requestId` of every log line written while the request is handled.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get(REQUEST_ID_HEADER);
  const context: LogContext = { requestId: given && ACCEPTED_ID.test(given) ? given : randomUUID() };
  (req as WithContext)[CONTEXT] = context;
  res.setHeader(REQUEST_ID_HEADER, context.requestId);
  runWithLogContext(context, next);
}

/**
 * Takes the request's id up again after the body parsers: they call on from the request stream's 'end' event, where
 * the context that assignRequestId began is lost.
 */
export function resumeRequestId(req: Request, _res: Response, next: NextFunction): void {
  const context = (req as WithContext)[CONTEXT];
  if (!context || currentLogContext() === context) return next();
  runWithLogContext(context, next);
}
