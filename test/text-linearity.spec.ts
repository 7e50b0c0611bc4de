import { ADVERSARIAL_SHAPES, measureGrowth, TEXT_OPERATIONS } from '../bench/adversarial';

/**
 * A tripwire against quadratic paths in free-text handling, not a wall-clock bound: for each adversarial shape
 * and each text path, the time per KB at 1 MB must stay within 20 times the time per KB at 10 KB, both measured in
 * this run. A linear path stays near 1; a quadratic one gives about 100.
 */
const MAX_GROWTH = 20;

describe('free text costs the same per KB at 1 MB as at 10 KB', () => {
  for (const op of TEXT_OPERATIONS) {
    it(`${op.name}`, () => {
      // One run at 1 MB is enough to clear a linear path; one over the line is measured again, best of three, so
      // that a garbage collection or another process's burst in that one run is not read as growth.
      const over = ADVERSARIAL_SHAPES.map((shape) => {
        const once = measureGrowth(shape, op);
        return once.ratio > MAX_GROWTH ? measureGrowth(shape, op, 10 * 1024, 1024 * 1024, 3) : once;
      })
        .filter((g) => g.ratio > MAX_GROWTH)
        .map((g) => `${g.shape}: ${g.ratio.toFixed(1)}x per KB (${g.largeMs.toFixed(0)} ms at 1 MB)`);
      expect(over).toEqual([]);
    }, 300_000);
  }
});
