import { setImmediate as tick } from 'node:timers/promises';
import { collectGarbage, LARGE_WORK_BYTES, releaseLargeWork } from './memory';

describe('collectGarbage', () => {
  it('frees what nothing refers to any more, at once', async () => {
    // Only through a weak reference, so that the collection may take it; a WeakRef's target is kept to the end of
    // the job that made it, so the collection comes after a turn of the event loop.
    const ref = new WeakRef(Buffer.alloc(32 * 1024 * 1024, 1));
    await tick();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('collects after work on LARGE_WORK_BYTES or more', async () => {
    const large = new WeakRef({ bytes: Buffer.alloc(1024) });
    await tick();
    releaseLargeWork(LARGE_WORK_BYTES);
    expect(large.deref()).toBeUndefined();
  });
});
