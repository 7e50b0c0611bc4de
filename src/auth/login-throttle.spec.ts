import { clientAddress, loginDelayMs } from './login-throttle';

describe('loginDelayMs', () => {
  const policy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };

  it.each([
    [0, 0],
    [1, 0],
    [3, 0],
    [4, 1000],
    [5, 2000],
    [6, 4000],
    [8, 16_000],
    [9, 30_000],
    [1000, 30_000],
  ])('waits after failure %i: %i ms', (failures, ms) => {
    expect(loginDelayMs(failures, policy)).toBe(ms);
  });

  it('grows an address past the account cap when its own cap is higher', () => {
    const address = { ...policy, maxDelayMs: 900_000 };
    expect(loginDelayMs(10, address)).toBe(64_000);
    expect(loginDelayMs(14, address)).toBe(900_000);
    expect(loginDelayMs(10, policy)).toBe(30_000);
  });

  it('has no free failures when told so', () => {
    expect(loginDelayMs(1, { ...policy, freeFailures: 0 })).toBe(1000);
  });
});

describe('clientAddress', () => {
  it.each([
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:db8::7', '2001:db8:0:0::/64'],
    ['2001:DB8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
  ])('counts %s as %s', (ip, key) => {
    expect(clientAddress(ip)).toBe(key);
  });

  it('gives every address of one /64 one counter, and another /64 another', () => {
    expect(clientAddress('2001:db8:a:b:1::1')).toBe(clientAddress('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(clientAddress('2001:db8:a:b::1')).not.toBe(clientAddress('2001:db8:a:c::1'));
  });
});
