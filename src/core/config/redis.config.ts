import { registerAs } from '@nestjs/config';
import { Matches } from 'class-validator';
import { validateEnv } from './validate-env';

export class RedisEnv {
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, - and _' })
  QUEUE_PREFIX = 'takedown';
}

export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv);
  return { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX };
});
export type RedisConfig = ReturnType<typeof redisConfig>;
