import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { JobName } from '../queue/jobs';
import { DEPTH_STATES, QueueDashboardService } from './queue-dashboard.service';

/** Cases whose first takedown was done within this window feed the receipt-to-action quantiles. */
const ACTION_WINDOW = '30 days';
const QUANTILES = [0.5, 0.9, 0.99];
/** The most a scrape waits for Redis: an outage shows as takedown_desk_redis_up 0, never as a hung scrape. */
const REDIS_SCRAPE_TIMEOUT_MS = 1_000;

/**
 * Prometheus metrics computed at scrape time, so that every API replica reports the same truth and nothing is lost on
 * restart: counts from Postgres, and the queue depths from Redis. Redis gets a second at most; while it does not
 * answer, the scrape reports takedown_desk_redis_up 0 and no depths (the outbox backlog then shows the work that waits).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueDashboardService,
  ) {
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
      name: 'takedown_desk_notices_flagged',
      help: 'Notices held for a person, by flag (text_budget_exceeded: its text ran past TEXT_BUDGET_MS; dmarc_fail; ...).',
      labelNames: ['flag'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ flag: string; n: number }[]>(
          `SELECT flag, count(*)::int AS n FROM notices, unnest(flags) AS flag GROUP BY flag`,
        );
        this.reset();
        for (const r of rows) this.set({ flag: r.flag }, r.n);
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
      name: 'takedown_desk_counter_notices',
      help: 'Counter-notices by status; restore_overdue counts forwarded ones past the last day of their window.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status::text, count(*)::int AS n FROM counter_notices GROUP BY status
           UNION ALL
           SELECT 'restore_overdue', count(*)::int FROM counter_notices
           WHERE status = 'forwarded' AND restore_not_after < now()`,
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
    new Gauge({
      name: 'takedown_desk_outbox_oldest_seconds',
      help: 'Age of the oldest outbox row not yet relayed (0 when none waits): work that should be moving and is not.',
      registers: [this.registry],
      async collect() {
        const [r] = await db.query<{ age: number | null }[]>(
          `SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM outbox WHERE dispatched_at IS NULL`,
        );
        this.set(r.age ?? 0);
      },
    });
    new Gauge({
      name: 'takedown_desk_overdue_cases',
      help: 'Open cases past their service level (first action or decision due).',
      registers: [this.registry],
      async collect() {
        // The queue's overdue filter (cases/sla.ts OVERDUE_SQL), restated here: core reads the tables, not the layer.
        const [r] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM cases c WHERE c.status IN ('received', 'in_review')
             AND (c.action_due_at < now() OR (c.acknowledged_at IS NULL AND c.ack_due_at < now()))`,
        );
        this.set(r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_failed',
      help: 'Work given up on and waiting for a person: letters failed, takedowns failed after their retries.',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ kind: string; n: number }[]>(
          `SELECT 'letters' AS kind, count(*)::int AS n FROM letters WHERE status = 'failed'
           UNION ALL SELECT 'takedowns', count(*)::int FROM takedowns WHERE status = 'failed'`,
        );
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_repeat_infringers',
      help: 'Uploader accounts by standing under the repeat-infringer policy (recommended: waiting for a person).',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status::text, count(*)::int AS n FROM uploader_standings GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_trusted_flagger_cases',
      help: "Cases from trusted flaggers' notices (DSA Art. 22), by status: counted apart from the rest.",
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status::text, count(*)::int AS n FROM cases WHERE queue_tier = 0 GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'takedown_desk_complaints',
      help: 'Complaints against decisions (DSA Art. 20) by status.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status::text, count(*)::int AS n FROM complaints GROUP BY status`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Counter({
      name: 'takedown_desk_reconciled_total',
      help: 'Jobs the reconciler put back on the queues because Redis no longer held work Postgres says is owed, by job.',
      labelNames: ['kind'],
      registers: [this.registry],
      // The totals live in Postgres (the worker counts, the API reports): every replica reports the same, and a
      // restart loses none.
      async collect() {
        const rows = await db.query<{ kind: string; n: number }[]>(
          `SELECT kind, total::float8 AS n FROM reconcile_counts`,
        );
        const totals = new Map(rows.map((r) => [r.kind, r.n]));
        this.reset();
        for (const kind of Object.values(JobName)) this.inc({ kind }, totals.get(kind) ?? 0);
      },
    });
    // Both gauges report parts of one query. prom-client reads every metric of a scrape at once, so a gauge set by
    // its sibling's collect() would be read before that query finished, and report the previous scrape.
    const readActioned = shared(async () => {
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
      return r;
    });
    new Gauge({
      name: 'takedown_desk_receipt_to_action_cases',
      help: `Cases whose first takedown was done in the last ${ACTION_WINDOW}.`,
      registers: [this.registry],
      async collect() {
        this.set((await readActioned()).n);
      },
    });
    new Gauge({
      name: 'takedown_desk_receipt_to_action_seconds',
      help: `Time from a notice's receipt to its case's first takedown done, over cases actioned in the last ${ACTION_WINDOW}.`,
      labelNames: ['quantile'],
      registers: [this.registry],
      async collect() {
        const r = await readActioned();
        this.reset();
        QUANTILES.forEach((quantile, i) => {
          const value = r.q?.[i];
          if (value != null) this.set({ quantile: String(quantile) }, Number(value));
        });
      },
    });
    const readDepths = shared(() => this.queues.depths(REDIS_SCRAPE_TIMEOUT_MS));
    new Gauge({
      name: 'takedown_desk_redis_up',
      help: `Whether Redis answered this scrape within ${REDIS_SCRAPE_TIMEOUT_MS} ms (queue depths are left out while 0).`,
      registers: [this.registry],
      async collect() {
        this.set((await readDepths()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'takedown_desk_queue_jobs',
      help: `Jobs in each queue by state (${DEPTH_STATES.join(', ')}).`,
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const depths = await readDepths();
        this.reset();
        for (const [queue, counts] of Object.entries(depths ?? {})) {
          for (const state of DEPTH_STATES) this.set({ queue, state }, counts[state]);
        }
      },
    });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** One read for every gauge that reports part of it: calls while one is in flight share it. */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
