import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** How deep a JSON body may nest. A notice nests three levels; class-transformer recurses once per level. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses, with a 400 naming the field, what no route can take: a NUL byte in the path, the query or a parsed body
 * (Postgres text cannot hold one, so it would fail as a 500 deep in a query), and a body nested deeper than
 * MAX_BODY_DEPTH (class-transformer would recurse until the stack overflows). One check for every route, run right
 * after the body parsers and before guards and pipes. Bodies the parsers leave alone, such as the raw MIME message
 * of the inbound webhook, are bytes and are not looked at: a NUL in a message is the message's business.
 */
export function checkRequestInput(req: Request, _res: Response, next: NextFunction): void {
  // Node refuses a raw NUL in the request line, so in the path it can only come percent-encoded.
  if (/%00/i.test(req.path)) {
    next(new BadRequestException('The URL path contains a NUL byte (%00). Remove it and send again.'));
    return;
  }
  const problem = inputProblem(req.query, 'the query') ?? inputProblem(req.body, 'the body');
  next(problem === undefined ? undefined : new BadRequestException(problem));
}

/**
 * What is wrong with a parsed query or body, or undefined. Walks with a stack of its own rather than recursing, so
 * that a body nested thousands deep is measured, not a stack overflow. `where` names the whole input in messages.
 */
export function inputProblem(input: unknown, where: string): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return `${path ? `${path} in ${where}` : where} contains a NUL byte (\\u0000), which cannot be stored. ${FIX}`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return `${where} is nested deeper than ${MAX_BODY_DEPTH} levels.`;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (key.includes('\u0000')) {
        return `A field name in ${path ? `${path} in ${where}` : where} contains a NUL byte (\\u0000). ${FIX}`;
      }
      stack.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
}

const FIX = 'Remove it and send again.';
