import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AGENCY_KEY_PREFIX, AgencyKeysService, type AgencyPrincipal } from './agency-keys.service';
import { API_TOKEN_PREFIX } from '../auth/staff-auth.service';

export type AgencyRequest = Request & { agency?: AgencyPrincipal };

const HOW = `Send your agency's API key as "Authorization: Bearer ${AGENCY_KEY_PREFIX}…".`;

/**
 * Lets a request through with a live agency key in `Authorization: Bearer tda_…`, and puts the agency on the request
 * for @CurrentAgency(). Anything else in Authorization is 401 with what to fix, never taken for an anonymous caller.
 */
@Injectable()
export class AgencyGuard implements CanActivate {
  /** Whether a request with no Authorization header at all may go on, anonymously. */
  protected readonly anonymousAllowed: boolean = false;

  constructor(private readonly keys: AgencyKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AgencyRequest>();
    const authorization = req.headers.authorization;
    if (authorization === undefined) {
      if (this.anonymousAllowed) return true;
      throw new UnauthorizedException(`This route needs an agency key. ${HOW}`);
    }
    const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!key) throw new UnauthorizedException(`The Authorization header is malformed. ${HOW}`);
    if (key.startsWith(API_TOKEN_PREFIX)) {
      throw new UnauthorizedException(`That is a staff API token; this route takes an agency key. ${HOW}`);
    }
    const agency = await this.keys.verify(key);
    if (!agency) throw new UnauthorizedException(this.unknownKeyMessage());
    req.agency = agency;
    return true;
  }

  private unknownKeyMessage(): string {
    const anonymous = this.anonymousAllowed ? ' To file without a key, send no Authorization header.' : '';
    return `This agency key is not valid or has been revoked. Check the key you were given, or ask the site's staff for a new one.${anonymous}`;
  }
}

/**
 * AgencyGuard for routes anyone may call: no Authorization header goes on anonymously, while a key that is sent
 * must be a live one.
 */
@Injectable()
export class OptionalAgencyGuard extends AgencyGuard {
  protected override readonly anonymousAllowed: boolean = true;
}

/** The agency an AgencyGuard let through; undefined for an anonymous caller under OptionalAgencyGuard. */
export const CurrentAgency = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AgencyPrincipal | undefined =>
    context.switchToHttp().getRequest<AgencyRequest>().agency,
);
