import type { DNSResolver } from 'mailauth';
import { cachingResolver, DnsTimeoutError } from './dns-cache';

function dnsError(code: string): Error {
  return Object.assign(new Error(`query failed: ${code}`), { code });
}

describe('cachingResolver', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('answers a repeated name from memory until the TTL runs out', async () => {
    const lookup = jest.fn<ReturnType<DNSResolver>, Parameters<DNSResolver>>(() => Promise.resolve([['v=spf1 -all']]));
    const resolve = cachingResolver(lookup, { timeoutMs: 1000, ttlSeconds: 300, now });
    await expect(resolve('example.com', 'TXT')).resolves.toEqual([['v=spf1 -all']]);
    await expect(resolve('EXAMPLE.com', 'TXT')).resolves.toEqual([['v=spf1 -all']]);
    expect(lookup).toHaveBeenCalledTimes(1);
    await resolve('example.com', 'MX');
    expect(lookup).toHaveBeenCalledTimes(2);
    clock += 301_000;
    await resolve('example.com', 'TXT');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('shares one lookup between messages asking the same name at once', async () => {
    let answer: (value: string[]) => void = () => undefined;
    const lookup = jest.fn(() => new Promise<string[]>((resolve) => (answer = resolve)));
    const resolve = cachingResolver(lookup, { timeoutMs: 1000, ttlSeconds: 300, now });
    const both = Promise.all([resolve('example.com', 'A'), resolve('example.com', 'A')]);
    answer(['192.0.2.1']);
    await expect(both).resolves.toEqual([['192.0.2.1'], ['192.0.2.1']]);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('keeps a "no such name" for at most a minute, and never a server failure', async () => {
    const lookup = jest.fn<ReturnType<DNSResolver>, Parameters<DNSResolver>>((name) =>
      Promise.reject(dnsError(name === 'gone.example' ? 'ENOTFOUND' : 'ESERVFAIL')),
    );
    const resolve = cachingResolver(lookup, { timeoutMs: 1000, ttlSeconds: 300, now });
    await expect(resolve('gone.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('gone.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(lookup).toHaveBeenCalledTimes(1);
    clock += 61_000;
    await expect(resolve('gone.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(lookup).toHaveBeenCalledTimes(2);

    await expect(resolve('broken.example', 'TXT')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(resolve('broken.example', 'TXT')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('fails a stalled lookup after the timeout, as a temporary DNS error, and does not keep it', async () => {
    jest.useFakeTimers();
    try {
      const lookup = jest.fn(() => new Promise<string[]>(() => undefined));
      const resolve = cachingResolver(lookup, { timeoutMs: 2000, ttlSeconds: 300, now });
      const stalled = resolve('slow.example', 'TXT');
      jest.advanceTimersByTime(2000);
      await expect(stalled).rejects.toBeInstanceOf(DnsTimeoutError);
      await expect(stalled).rejects.toMatchObject({ code: 'ETIMEOUT' });
      const again = resolve('slow.example', 'TXT');
      jest.advanceTimersByTime(2000);
      await expect(again).rejects.toBeInstanceOf(DnsTimeoutError);
      expect(lookup).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds at most maxEntries names, dropping the oldest', async () => {
    const lookup = jest.fn((name: string) => Promise.resolve([name]));
    const resolve = cachingResolver(lookup, { timeoutMs: 1000, ttlSeconds: 300, maxEntries: 2, now });
    await resolve('a.example', 'A');
    await resolve('b.example', 'A');
    await resolve('c.example', 'A');
    await resolve('c.example', 'A');
    await resolve('b.example', 'A');
    expect(lookup).toHaveBeenCalledTimes(3);
    await resolve('a.example', 'A');
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('keeps nothing with a TTL of 0', async () => {
    const lookup = jest.fn(() => Promise.resolve(['192.0.2.1']));
    const resolve = cachingResolver(lookup, { timeoutMs: 1000, ttlSeconds: 0, now });
    await resolve('example.com', 'A');
    await resolve('example.com', 'A');
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});
