/**
 * Email intake by SMTP, into the worker as `npm run start:worker` runs it (its listener on, DNS as the machine
 * answers it):
 * - smtp_accept: 200 letters of 5 KB (BENCH_SMTP_MESSAGES) sent over 10 connections, until the last 250, against a bare smtp-server that
 *   answers 250 after one INSERT of the message (bench/bare-smtp.ts), in the same round;
 * - smtp_to_notice: the same 200, from the first byte sent until each is a stored notice (no floor);
 * - mail_10mb: the peak resident memory over idle of a fresh worker (one a round, warmed by one small letter) while
 *   it takes and parses one 10 MB message, against a fresh bare listener's for the same message; the target is on
 *   peak_over_size (ours / message size).
 */
import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { migrate } from './bench-database';
import { benchDatabaseUrl, compare, figureScript, type Figures, fmt, inRounds, QUICK, ROUNDS } from './figures';
import { letterWithUrls } from './notice-fixture';
import {
  baseEnv,
  type Child,
  connectDb,
  emptyDatabase,
  freePort,
  redisUrl,
  startNode,
  startRedis,
  waitUntil,
} from './processes';
import { summarise } from './stats';

const MESSAGES = Number(process.env.BENCH_SMTP_MESSAGES ?? (QUICK ? 100 : 200));
const CONNECTIONS = 10;
const BIG_BYTES = 10 * 1024 * 1024;
const TARGETS = { accept: 0.7, toNotice: 100, bigOverSize: 4 };

function transport(port: number) {
  return createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
  });
}

const letter = letterWithUrls(20, 5_000);

/** Sends `n` distinct 5 KB notices; resolves when the last is answered 250. */
async function sendMany(port: number, n: number, tag: string): Promise<void> {
  const smtp = transport(port);
  try {
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        smtp.sendMail({
          from: `Jane Roe <sender-${i}@rights.example.org>`,
          to: 'dmca@example.com',
          subject: `DMCA notice ${tag}-${i}`,
          messageId: `<${tag}-${i}@rights.example.org>`,
          text: letter,
        }),
      ),
    );
  } finally {
    smtp.close();
  }
}

/** One notice with about 10 MB of evidence attached (base64 of 7.5 MB of random bytes). */
async function sendBig(port: number, tag: string): Promise<void> {
  const smtp = transport(port);
  try {
    await smtp.sendMail({
      from: 'Jane Roe <jane@rights.example.org>',
      to: 'dmca@example.com',
      subject: `DMCA notice with evidence ${tag}`,
      messageId: `<big-${tag}@rights.example.org>`,
      text: letter,
      attachments: [
        { filename: 'evidence.pdf', content: randomBytes((BIG_BYTES * 3) / 4), contentType: 'application/pdf' },
      ],
    });
  } finally {
    smtp.close();
  }
}

/** Peak resident memory over the idle size while `work` runs, in bytes. */
async function peakOver(child: Child, work: () => Promise<void>): Promise<number> {
  await new Promise((r) => setTimeout(r, 300));
  child.resetPeak();
  const before = child.memory().rss;
  await work();
  return child.memory().hwm - before;
}

/**
 * `start`s a fresh process, lets it settle idle (after `warm`, which loads the code paths a message takes), and
 * measures its peak over idle while `work` runs; then stops it. A warm process's heap often has room already (rounds
 * of one long-lived worker ranged from +15 to +166 MB), so each round gets a process of its own.
 */
async function freshPeakOver(
  start: () => Promise<Child>,
  warm: () => Promise<void>,
  work: () => Promise<void>,
): Promise<number> {
  const child = await start();
  try {
    await warm();
    await new Promise((r) => setTimeout(r, 1_000));
    return await peakOver(child, work);
  } finally {
    await child.stop();
  }
}

figureScript('smtp', async (): Promise<Figures> => {
  const url = benchDatabaseUrl('smtp');
  await migrate(url);
  const db = await connectDb(url);
  await emptyDatabase(db);
  const redis = await startRedis();
  const [ourPort, barePort] = [await freePort(), await freePort()];
  const env = {
    ...baseEnv(url, redisUrl(redis)),
    INBOUND_ADDRESSES: 'dmca@example.com',
    SMTP_LISTEN_HOST: '127.0.0.1',
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
  };
  const startWorker = () =>
    startNode('dist/src/worker.js', { ...env, SMTP_LISTEN_PORT: String(ourPort) }, ourPort, 'the worker', [
      '--expose-gc',
    ]);
  const startBare = () =>
    startNode('dist/bench/bare-smtp.js', { ...env, SMTP_LISTEN_PORT: String(barePort) }, barePort, 'bare smtp-server');
  const count = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0].n;
  let worker: Child | undefined;
  let bare: Child | undefined;
  const settled = () => count(`SELECT count(*)::int AS n FROM inbound_messages WHERE status <> 'stored'`);
  try {
    // mail_10mb first: a fresh worker and a fresh bare listener each round.
    const big = await inRounds(ROUNDS, async (round) => {
      let before = 0;
      const ours = await freshPeakOver(
        startWorker,
        async () => {
          const settledBefore = await settled();
          await sendMany(ourPort, 1, `warm-ours-${round}`);
          await waitUntil('the warm-up to be parsed', async () => (await settled()) === settledBefore + 1);
          before = settledBefore + 1;
        },
        async () => {
          await sendBig(ourPort, `ours-${round}`);
          await waitUntil('the 10 MB message to be parsed', async () => (await settled()) === before + 1);
        },
      );
      const floor = await freshPeakOver(
        startBare,
        () => sendMany(barePort, 1, `warm-floor-${round}`),
        () => sendBig(barePort, `floor-${round}`),
      );
      return { ours: ours / 1024 / 1024, floor: floor / 1024 / 1024 };
    });
    const { rows: bigRows } = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`,
    );
    console.log(`  inbound messages after mail_10mb: ${JSON.stringify(bigRows)}`);
    [worker, bare] = [await startWorker(), await startBare()];

    const toNotice: number[] = [];
    const rounds = await inRounds(ROUNDS, async (round) => {
      const before = await count(`SELECT count(*)::int AS n FROM notices WHERE channel = 'email'`);
      const t0 = performance.now();
      await sendMany(ourPort, MESSAGES, `ours-${round}`);
      const acceptMs = performance.now() - t0;
      await waitUntil(
        `${MESSAGES} notices from SMTP`,
        async () =>
          (await count(`SELECT count(*)::int AS n FROM notices WHERE channel = 'email'`)) >= before + MESSAGES,
        300_000,
      );
      toNotice.push((MESSAGES / (performance.now() - t0)) * 1000);
      const t1 = performance.now();
      await sendMany(barePort, MESSAGES, `floor-${round}`);
      const floorMs = performance.now() - t1;
      return { ours: (MESSAGES / acceptMs) * 1000, floor: (MESSAGES / floorMs) * 1000 };
    });
    const accept = compare(rounds);
    const memory = compare(big);
    const notices = summarise(toNotice).median;
    const bigMb = BIG_BYTES / 1024 / 1024;
    console.log(
      `smtp_to_notice ${fmt(notices)} notices/s; mail_10mb peak +${fmt(memory.ours)} MB against +${fmt(memory.floor)} MB`,
    );
    return {
      smtp_accept: {
        ours: accept.ours,
        floor: accept.floor,
        unit: 'messages/s',
        ratio: accept.ratio,
        target: TARGETS.accept,
        met: accept.ratio >= TARGETS.accept,
        messages: MESSAGES,
        message_bytes: letter.length,
        connections: CONNECTIONS,
        rounds: ROUNDS,
      },
      smtp_to_notice: {
        ours: notices,
        floor: null,
        unit: 'notices/s',
        ratio: null,
        target: TARGETS.toNotice,
        met: notices >= TARGETS.toNotice,
        messages: MESSAGES,
        dns: 'the machine resolver (here every lookup fails at once: no network)',
        rounds: ROUNDS,
      },
      mail_10mb: {
        ours: memory.ours,
        floor: memory.floor,
        unit: 'MB (peak resident over idle)',
        ratio: memory.ratio,
        target: TARGETS.bigOverSize,
        met: memory.ours / bigMb <= TARGETS.bigOverSize,
        target_on: 'peak_over_size',
        peak_over_size: memory.ours / bigMb,
        floor_over_size: memory.floor / bigMb,
        message_mb: bigMb,
        rounds: ROUNDS,
      },
    };
  } finally {
    await Promise.all([worker?.stop(), bare?.stop()]);
    await redis.stop();
    await db.end();
  }
});
