#!/usr/bin/env bash
# One command from a fresh clone to a running Takedown Desk: install, build, migrate, start the API and a worker.
# Needs PostgreSQL and Redis (see DATABASE_URL and REDIS_URL; the defaults are localhost), or use docker compose.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build
npm run migration:run   # creates the database if it is missing

node dist/src/worker.js &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Worker started (pid $worker). API on http://localhost:${PORT:-3000}/ (Ctrl-C stops both)"
node dist/src/main.js
