/**
 * The HTTP floor for small notices: bare Express, its JSON body parser and one INSERT per request, in a process of
 * its own as the API runs in. Nothing of ours: what any Node HTTP service writing one row must spend.
 */
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/api/v1/notices', (req, res, next) => {
  pool
    .query<{ id: string }>(`INSERT INTO bench_floor_notices (body) VALUES ($1) RETURNING id`, [
      JSON.stringify(req.body),
    ])
    .then(({ rows }) => res.status(201).json({ id: rows[0].id }))
    .catch(next);
});
pool
  .query(`CREATE TABLE IF NOT EXISTS bench_floor_notices (id bigserial PRIMARY KEY, body jsonb NOT NULL)`)
  .then(() => app.listen(Number(process.env.PORT), '127.0.0.1'))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
