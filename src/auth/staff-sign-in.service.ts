import { Injectable } from '@nestjs/common';
import { LoginThrottle } from './login-throttle';
import { StaffAuthService } from './staff-auth.service';

export type SignInResult =
  | { outcome: 'signed_in'; sessionToken: string }
  | { outcome: 'refused' }
  /** Too many failures from this address, or at this account from it: the password was not checked. */
  | { outcome: 'wait'; retryAfterSeconds: number };

/** A sign-in with email and password, through the throttle: the one way the staff sign-in form checks a password. */
@Injectable()
export class StaffSignInService {
  constructor(
    private readonly auth: StaffAuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** `clientIp`: Express's req.ip, which follows TRUST_PROXY. */
  async signIn(email: string, password: string, clientIp: string | undefined): Promise<SignInResult> {
    const keys = this.throttle.keysFor(email, clientIp);
    const attempt = await this.throttle.take(keys);
    if (!attempt.taken) {
      return { outcome: 'wait', retryAfterSeconds: Math.max(1, Math.ceil(attempt.waitMs / 1000)) };
    }
    const user = email && password ? await this.auth.verifyLogin(email, password) : null;
    if (!user) return { outcome: 'refused' };
    await this.throttle.succeeded(attempt);
    return { outcome: 'signed_in', sessionToken: await this.auth.createSession(user.id) };
  }
}
