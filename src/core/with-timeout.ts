/**
 * Settles as `promise` does, or rejects with "`what` did not answer within `ms` ms" if it has not by then. The work
 * itself is not cancelled: a caller that gives up on Redis this way tries again later.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
