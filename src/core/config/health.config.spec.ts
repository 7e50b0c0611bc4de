import { readHealthEnv } from './health.config';
import { ConfigError } from './validate-env';

describe('health configuration', () => {
  it('beats every 5 s and calls a worker gone after 30 s by default', () => {
    expect(readHealthEnv({})).toEqual({ heartbeatSeconds: 5, staleSeconds: 30 });
    expect(readHealthEnv({ WORKER_HEARTBEAT_SECONDS: '2', WORKER_HEARTBEAT_STALE_SECONDS: '3' })).toEqual({
      heartbeatSeconds: 2,
      staleSeconds: 3,
    });
  });

  it.each([
    [{ WORKER_HEARTBEAT_STALE_SECONDS: 'half a minute' }, 'WORKER_HEARTBEAT_STALE_SECONDS'],
    [{ WORKER_HEARTBEAT_STALE_SECONDS: '1' }, 'WORKER_HEARTBEAT_STALE_SECONDS'],
    [{ WORKER_HEARTBEAT_SECONDS: '0' }, 'WORKER_HEARTBEAT_SECONDS'],
    [{ WORKER_HEARTBEAT_SECONDS: '10', WORKER_HEARTBEAT_STALE_SECONDS: '10' }, 'WORKER_HEARTBEAT_STALE_SECONDS'],
    [{ WORKER_HEARTBEAT_SECONDS: '60' }, 'WORKER_HEARTBEAT_STALE_SECONDS'],
  ])('refuses %p and names %s', (env, name) => {
    expect(() => readHealthEnv(env)).toThrow(ConfigError);
    expect(() => readHealthEnv(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}=`));
  });
});
