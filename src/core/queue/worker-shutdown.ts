import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * The first step of a worker's shutdown (SIGTERM): says that one is under way, so that long jobs (the sweep) hand
 * back what they have not reached, then closes this process's BullMQ workers, which take no new job and wait for
 * the ones running to finish. It runs in onModuleDestroy, before any other hook closes the transport, the
 * database or Redis, so the jobs finish with everything still in place.
 */
@Injectable()
export class WorkerShutdown implements OnModuleDestroy {
  private readonly logger = new Logger(WorkerShutdown.name);
  private stopping = false;

  constructor(private readonly discovery: DiscoveryService) {}

  /** Whether the process is shutting down: a long job stops at its next safe point and gives back the rest. */
  get requested(): boolean {
    return this.stopping;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const workers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => host.worker)
      .filter((worker) => worker !== undefined);
    if (workers.length === 0) return;
    this.logger.log(`Shutting down: finishing the jobs of ${workers.length} queue worker(s)`);
    await Promise.all(workers.map((worker) => worker.close()));
  }
}
