import * as path from 'node:path';
import {
  TextAnalysisError,
  TextBudgetExceededError,
  TextPoolBusyError,
  TextPoolClosedError,
  TextWorkerPool,
} from './text-worker-pool';

const SPIN_WORKER = path.join(__dirname, '../../../test/support/spin-worker.js');

describe('TextWorkerPool', () => {
  let pool: TextWorkerPool;
  afterEach(() => pool.close());

  it('answers each task from a worker thread', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 2, 5_000);
    await expect(Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(n)))).resolves.toEqual([1, 2, 3, 4, 5]);
  });

  it('stops a task that runs past its budget, and goes on with the next on a fresh thread', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 1, 200);
    const spinning = pool.run('spin');
    const after = pool.run('next');
    await expect(spinning).rejects.toBeInstanceOf(TextBudgetExceededError);
    await expect(after).resolves.toBe('next');
  });

  it('keeps the event loop free while a thread spins', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 1, 1_500);
    const spinning = pool.run('spin').catch((e: Error) => e);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const error = await spinning;
    clearInterval(timer);
    expect(error).toBeInstanceOf(TextBudgetExceededError);
    expect(ticks).toBeGreaterThan(10);
  });

  it('fails what runs and waits as closed, not as out of time, when the pool closes', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 1, 60_000);
    const spinning = pool.run('spin').catch((e: Error) => e);
    const waiting = pool.run('next').catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 200));
    await pool.close();
    expect(await spinning).toBeInstanceOf(TextPoolClosedError);
    expect(await waiting).toBeInstanceOf(TextPoolClosedError);
  });

  it('refuses a task when as many wait as it queues', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 1, 500, 1);
    const spinning = pool.run('spin').catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 200));
    const waiting = pool.run('next');
    await expect(pool.run('one too many')).rejects.toBeInstanceOf(TextPoolBusyError);
    expect(await spinning).toBeInstanceOf(TextBudgetExceededError);
    await expect(waiting).resolves.toBe('next');
  });

  it('reports an error the text code threw, and the thread serves the next task', async () => {
    pool = new TextWorkerPool(SPIN_WORKER, 1, 5_000);
    await expect(pool.run('throw')).rejects.toEqual(new TextAnalysisError('boom'));
    await expect(pool.run('again')).resolves.toBe('again');
  });

  it('fails what is queued when a thread cannot start, instead of starting threads forever', async () => {
    pool = new TextWorkerPool(path.join(__dirname, 'no-such-worker.js'), 2, 5_000);
    await expect(pool.run('x')).rejects.toBeInstanceOf(TextAnalysisError);
  });
});
