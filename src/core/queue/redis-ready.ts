import type { Redis } from 'ioredis';

const waits = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves once a kept connection is ready, or rejects after `timeoutMs`. Callers that ask while it is connecting
 * share one wait, and a wait that times out takes its listener with it: a stream of requests while Redis is away
 * must not leave one 'ready' listener each.
 */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  let wait = waits.get(client);
  if (!wait) {
    wait = new Promise<void>((resolve, reject) => {
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        client.off('ready', ready);
        reject(new Error(`Redis not ready (${client.status})`));
      }, timeoutMs);
      client.once('ready', ready);
    }).finally(() => waits.delete(client));
    waits.set(client, wait);
  }
  return wait;
}
