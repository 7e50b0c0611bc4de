import { DomainError } from '../core/errors';

/** The notice is over one of the documented limits (URLs, text length): HTTP answers 413, the form says so inline. */
export class NoticeTooLargeError extends DomainError {
  readonly kind = 'too_large';
}

/** An Idempotency-Key came back with a different request body: HTTP answers 409. */
export class IdempotencyConflictError extends DomainError {
  readonly kind = 'conflict';
}
