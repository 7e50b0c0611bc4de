/**
 * The kinds of refusal a domain error can be. Domain code says what went wrong and why; the edges answer each kind
 * the same way everywhere: HTTP by one mapping (core/http/error-answer.ts), used by the JSON filter and the staff
 * pages alike, and the command line by its exit code.
 */
export type RefusalKind = 'invalid' | 'not_found' | 'conflict' | 'too_large';

/** A refusal by the domain, with a message for the person who asked. Never a fault of ours: that is a plain Error. */
export abstract class DomainError extends Error {
  abstract readonly kind: RefusalKind;

  /** Fields a JSON answer carries beside the message, such as where a case may go instead. */
  get details(): Record<string, unknown> | undefined {
    return undefined;
  }

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
