import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let t: number;
  let throttle: LoginThrottle;
  beforeEach(() => {
    t = 1_000_000;
    throttle = new LoginThrottle(3, 60_000, () => t);
  });

  it('lets a key through until it has failed `limit` times in the window', () => {
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter(['ip:a'])).toBe(0);
      throttle.recordFailure(['ip:a']);
    }
    t += 15_000;
    expect(throttle.retryAfter(['ip:a'])).toBe(45);
    expect(throttle.retryAfter(['ip:b'])).toBe(0);
  });

  it('blocks when any of the keys is blocked, and frees them when the window ends', () => {
    for (let i = 0; i < 3; i++) throttle.recordFailure(['ip:a', 'email:x']);
    expect(throttle.retryAfter(['ip:other', 'email:x'])).toBe(60);
    t += 60_000;
    expect(throttle.retryAfter(['ip:a', 'email:x'])).toBe(0);
  });

  it('counts nothing but failures', () => {
    throttle.recordFailure(['ip:a']);
    throttle.recordFailure(['ip:a']);
    for (let i = 0; i < 10; i++) expect(throttle.retryAfter(['ip:a'])).toBe(0);
  });
});
