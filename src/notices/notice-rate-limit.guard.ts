import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AgencyRequest } from '../agencies/agency.guard';
import { type RateLimitConfig, rateLimitConfig } from '../core/config';
import { SharedRateLimiter } from '../core/http/shared-rate-limiter';

/** Over a notice rate limit: 429 with Retry-After and a message that says when to try again. */
export class TooManyNoticesException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(
      `Too many notices ${what}: try again in ${retryAfterSeconds} seconds. Many URLs can go in one notice ` +
        '(up to MAX_URLS_PER_NOTICE); nothing of this request was stored.',
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The JSON API's notice limits, shared by every API process through Redis: per client address
 * (API_RATE_LIMIT), and per sender: an agency key's own count (AGENCY_RATE_LIMIT) or, without
 * one, the complainant's address (API_SENDER_RATE_LIMIT). Runs after the agency guard, before anything
 * is stored; a refused request leaves nothing behind.
 */
@Injectable()
export class NoticeRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: SharedRateLimiter,
    @Inject(rateLimitConfig.KEY) private readonly limits: RateLimitConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AgencyRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const email = senderEmail(req.body);
    const [byAddress, bySender] = await Promise.all([
      this.limiter.hit('api-client', req.ip ?? 'unknown', this.limits.apiPerAddress, this.limits.windowMs),
      req.agency
        ? this.limiter.hit('api-agency', req.agency.id, this.limits.apiPerAgency, this.limits.windowMs)
        : email
          ? this.limiter.hit('api-sender', email, this.limits.apiPerSender, this.limits.windowMs)
          : Promise.resolve(0),
    ]);
    const wait = Math.max(byAddress, bySender);
    if (wait === 0) return true;
    res.setHeader('Retry-After', String(wait));
    throw new TooManyNoticesException(
      wait,
      byAddress >= bySender ? 'from this address' : req.agency ? 'under this agency key' : 'from this sender',
    );
  }
}

function senderEmail(body: unknown): string | undefined {
  const complainant = (body as { complainant?: { email?: unknown } } | undefined)?.complainant;
  return typeof complainant?.email === 'string' && complainant.email.trim()
    ? complainant.email.trim().toLowerCase()
    : undefined;
}
