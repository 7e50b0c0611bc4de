import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type RefusalKind } from '../errors';

/** What a client is told about a refused request: its status, the message, and any detail fields. */
export interface ErrorAnswer {
  status: number;
  message: string | string[];
  details?: Record<string, unknown>;
}

const STATUS_OF: Record<RefusalKind, HttpStatus> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
};

interface BodyParserError {
  type?: string;
  limit?: number;
  message?: string;
}

/**
 * The one mapping from errors to HTTP answers: domain refusals by their kind, Nest's HTTP exceptions as they are, and
 * body-parser's own errors (malformed JSON, a body over the limit) as the 400 and 413 they are, with a message that
 * says what to fix. Anything else is ours to fix: null, and the caller answers 500.
 */
export function errorAnswer(exception: unknown): ErrorAnswer | null {
  if (exception instanceof DomainError) {
    return { status: STATUS_OF[exception.kind], message: exception.message, details: exception.details };
  }
  // Nest wraps body-parser's errors in an HttpException whose cause is the original.
  const parserError = (exception instanceof HttpException ? exception.cause : exception) as BodyParserError | undefined;
  if (parserError?.type === 'entity.too.large') {
    return {
      status: HttpStatus.PAYLOAD_TOO_LARGE,
      message: `The request body is over the limit of ${parserError.limit} bytes. Send fewer URLs per notice.`,
    };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return { status: HttpStatus.BAD_REQUEST, message: `The body is not valid JSON: ${parserError.message}` };
  }
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body && 'message' in body
        ? (body as { message: string | string[] }).message
        : exception.message;
    return { status: exception.getStatus(), message };
  }
  return null;
}

/** The answer's message as one line, for a page or a flash. */
export function messageLine(answer: ErrorAnswer): string {
  return Array.isArray(answer.message) ? answer.message.join('; ') : answer.message;
}
