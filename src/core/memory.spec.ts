import { collectGarbage, releaseLargeWork } from './memory';

describe('collectGarbage', () => {
  it('frees what nothing refers to any more, at once', () => {
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    const held: Buffer[] = [Buffer.alloc(32 * 1024 * 1024, 1)];
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    held.pop();
    releaseLargeWork(32 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
  });
});
