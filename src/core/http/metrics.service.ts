import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** Cases whose first takedown was done within this window feed the receipt-to-action quantiles. */
const ACTION_WINDOW = '30 days';
const QUANTILES = [0.5, 0.9, 0.99];

/**
 * Prometheus metrics computed from Postgres at scrape time, so that every API replica reports the same truth and
 * nothing is lost on restart. Queue depths are left out: they would need Redis on every scrape of the API, and the
 * outbox backlog already shows work that has not reached the queues.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(private readonly dataSource: DataSource) {
    const db = this.dataSource;
    new Gauge({
      name: 'takedown_desk_notices',
      help: 'Notices received, by channel (api, form, email, ...).',
      labelNames: ['channel'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ channel: string; n: number }[]>(
          `SELECT channel, count(*)::int AS n FROM notices GROUP BY channel`,
        );
        this.reset();
        for (const r of rows) this.set({ channel: r.channel }, r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_cases',
      help: 'Cases by workflow status.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status::text, count(*)::int AS n FROM cases GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_outbox_backlog',
      help: 'Outbox rows not yet relayed to the queues (grows while Redis or the worker is away).',
      registers: [this.registry],
      async collect() {
        const [r] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`,
        );
        this.set(r.n);
      },
    });
    const actioned = new Gauge({
      name: 'takedown_desk_receipt_to_action_cases',
      help: `Cases whose first takedown was done in the last ${ACTION_WINDOW}.`,
      registers: [this.registry],
    });
    new Gauge({
      name: 'takedown_desk_receipt_to_action_seconds',
      help: `Time from a notice's receipt to its case's first takedown done, over cases actioned in the last ${ACTION_WINDOW}.`,
      labelNames: ['quantile'],
      registers: [this.registry],
      async collect() {
        const [r] = await db.query<{ n: number; q: number[] | null }[]>(
          `WITH done AS (
             SELECT case_id, min(at) AS at FROM audit_events
             WHERE action = 'takedowns.done' AND at > now() - $1::interval GROUP BY case_id),
           received AS (
             SELECT a.case_id, min(a.at) AS at FROM audit_events a JOIN done USING (case_id)
             WHERE a.action = 'notice.received' GROUP BY a.case_id)
           SELECT count(*)::int AS n,
                  percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY extract(epoch FROM done.at - received.at)) AS q
           FROM done JOIN received USING (case_id)`,
          [ACTION_WINDOW, QUANTILES],
        );
        this.reset();
        actioned.set(r.n);
        QUANTILES.forEach((quantile, i) => {
          const value = r.q?.[i];
          if (value != null) this.set({ quantile: String(quantile) }, Number(value));
        });
      },
    });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
