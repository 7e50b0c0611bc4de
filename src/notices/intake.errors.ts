/** The notice is over one of the documented limits (URLs, text length): HTTP answers 413, the form says so inline. */
export class NoticeTooLargeError extends Error {
  override readonly name = 'NoticeTooLargeError';
}

/** An Idempotency-Key came back with a different request body: HTTP answers 409. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
}
