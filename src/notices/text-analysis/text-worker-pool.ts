import { Worker } from 'node:worker_threads';

/** A task ran past its time budget; its thread was stopped and replaced. */
export class TextBudgetExceededError extends Error {
  override readonly name = 'TextBudgetExceededError';
}

/** More tasks wait than the pool takes: the caller should come back later. */
export class TextPoolBusyError extends Error {
  override readonly name = 'TextPoolBusyError';
}

/** The pool was closed (the process is stopping): the task was not read, and should be tried again elsewhere. */
export class TextPoolClosedError extends Error {
  override readonly name = 'TextPoolClosedError';
}

/** The text code threw: a bug to fix, reported with the message only (never the notice's text). */
export class TextAnalysisError extends Error {
  override readonly name = 'TextAnalysisError';
}

export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: string };

interface Task {
  input: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

/**
 * A fixed number of worker threads that run one task each at a time, so that free-text work never holds the event
 * loop. Each task has a time budget counted from the moment a thread takes it (not while it waits in the queue, nor
 * while a thread starts): past it, the thread is terminated, which stops even a regular expression mid-match, and a
 * fresh one takes its place. Threads start when first needed and do not keep the process alive.
 */
export class TextWorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly budgetMs: number,
    private readonly maxQueue = Infinity,
  ) {}

  run<T>(input: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new TextPoolClosedError('the text pool is closed'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new TextPoolBusyError(`${this.queue.length} texts are already waiting to be read`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  /** Stops every thread; what is running or waiting fails with TextPoolClosedError, never as out of time. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = new TextPoolClosedError('the text pool is closed');
    for (const task of this.queue.splice(0)) task.reject(closed);
    for (const slot of this.slots) this.finish(slot)?.reject(closed);
    await Promise.all([...this.slots].map((slot) => this.retire(slot)));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.task) this.dispatch(slot, this.queue.shift()!);
    }
    const starting = [...this.slots].filter((s) => !s.ready).length;
    if (this.queue.length > starting && this.slots.size < this.size) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(this.file);
    worker.unref();
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.on('message', (message: WorkerReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        this.pump();
        return;
      }
      const task = this.finish(slot);
      if (!task) return;
      if (message.ok) task.resolve(message.value);
      else task.reject(new TextAnalysisError(message.error));
      this.pump();
    });
    worker.on('error', (error) => this.lost(slot, new TextAnalysisError(`text worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.lost(slot, new TextAnalysisError(`text worker exited with code ${code}`)));
  }

  private dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    slot.timer = setTimeout(() => {
      const running = this.finish(slot);
      void this.retire(slot);
      running?.reject(new TextBudgetExceededError(`the text took longer than ${this.budgetMs} ms to read`));
      this.pump();
    }, this.budgetMs);
    slot.worker.postMessage(task.input);
  }

  /** The slot's task, taken off it with its timer cleared. */
  private finish(slot: Slot): Task | undefined {
    clearTimeout(slot.timer);
    const task = slot.task;
    slot.task = undefined;
    slot.timer = undefined;
    return task;
  }

  /**
   * A thread that died on its own: its task fails and another thread starts for what is queued. One that died
   * before it was ready cannot load at all: with no other thread ready, what is queued fails with it rather than
   * starting threads forever; a ready thread goes on with the queue.
   */
  private lost(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    this.finish(slot)?.reject(error);
    const serving = [...this.slots].some((s) => s.ready);
    if (!slot.ready && !serving) for (const task of this.queue.splice(0)) task.reject(error);
    else if (!this.closed) this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    this.slots.delete(slot);
    slot.worker.removeAllListeners();
    await slot.worker.terminate();
  }
}
