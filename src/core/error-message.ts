/** The message of something thrown, for a log line or a failure reason (an Error's message, else its text). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
