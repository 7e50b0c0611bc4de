/**
 * The SMTP floor: a bare smtp-server that reads each message whole and answers 250 once one INSERT of it is done, in
 * a process of its own as the worker's listener runs in. Nothing of ours: what any Node listener that keeps the
 * message before answering must spend.
 */
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  size: 30 * 1024 * 1024,
  maxClients: 100,
  onData: (stream, _session, callback) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      pool
        .query(`INSERT INTO bench_floor_mail (raw) VALUES ($1)`, [Buffer.concat(chunks)])
        .then(() => callback(null, 'stored'))
        .catch((error: Error) => callback(error));
    });
  },
});
pool
  .query(`CREATE TABLE IF NOT EXISTS bench_floor_mail (id bigserial PRIMARY KEY, raw bytea NOT NULL)`)
  .then(() => server.listen(Number(process.env.SMTP_LISTEN_PORT), '127.0.0.1'))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
