import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jobIdFor, JobItem } from './jobs';

/** Writes jobs into the outbox inside the caller's transaction: the work is durable when the data is. */
@Injectable()
export class OutboxService {
  async enqueue(manager: EntityManager, items: JobItem[]): Promise<void> {
    if (items.length === 0) return;
    await manager.query(
      `INSERT INTO outbox (queue, name, data, job_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])`,
      [
        items.map((i) => i.queue),
        items.map((i) => i.name),
        items.map((i) => JSON.stringify(i.data)),
        items.map(jobIdFor),
      ],
    );
  }
}
