import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Work on at least this many bytes (a message, an attachment) gives its copies back at once when done with them. */
export const LARGE_WORK_BYTES = 1024 * 1024;

let collector: (() => void) | undefined;

/**
 * A full garbage collection, now. V8 frees a Buffer's memory only when its own heap asks for a collection or when
 * memory outside the heap has grown by 64 MB since the last one, so the copies one large message leaves behind (the
 * bytes as received, their ciphertext, the protocol buffers) stay resident while the next step makes its own: a
 * 10 MB message peaked at 11 times its size. Collecting between steps keeps the peak to what one step holds.
 * `npm start`, `npm run start:worker` and the images start node with --expose-gc; a process started without it
 * reaches the collector as jest's --logHeapUsage does.
 */
export function collectGarbage(): void {
  if (!collector) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collector = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    }
  }
  collector();
}

/** collectGarbage, after work on `bytes` of at least LARGE_WORK_BYTES; nothing for smaller work, the usual case. */
export function releaseLargeWork(bytes: number): void {
  if (bytes >= LARGE_WORK_BYTES) collectGarbage();
}

/**
 * For work that goes by in pieces (slices read, chunks decoded): call the answer with each piece's size, and it
 * collects each time `every` bytes have gone by since the last collection.
 */
export function collectingEvery(every: number): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    collectGarbage();
  };
}
