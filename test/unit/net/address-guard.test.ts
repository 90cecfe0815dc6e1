import { describe, expect, it } from 'vitest';
import { assertHostAllowed, createGuardedLookup, isPrivateAddress } from '../../../src/net/address-guard.ts';

describe('ingest/address-guard', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:7f00:1',
  ])('treats %s as private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('treats %s as public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it('refuses IP literals and localhost unless allowed by host', () => {
    const policy = { allowPrivate: false, allowHosts: new Set(['127.0.0.1']) };
    expect(() => assertHostAllowed(policy, 'http://10.0.0.1/', '10.0.0.1')).toThrow(/private or loopback/);
    expect(() => assertHostAllowed(policy, 'http://localhost/', 'localhost')).toThrow(/private or loopback/);
    expect(() => assertHostAllowed(policy, 'http://[::1]/', '[::1]')).toThrow(/private or loopback/);
    expect(() => assertHostAllowed(policy, 'http://127.0.0.1/', '127.0.0.1')).not.toThrow();
    expect(() => assertHostAllowed(policy, 'http://example.org/', 'example.org')).not.toThrow();
  });

  it('refuses a name that resolves only to loopback, checked after DNS resolution', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, allowHosts: new Set() });
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(err?.code).toBe('EBLOCKEDADDRESS');
  });

  it('resolves normally when private addresses are allowed', async () => {
    const lookup = createGuardedLookup({ allowPrivate: true, allowHosts: new Set() });
    const result = await new Promise<{ err: unknown; address: unknown }>((resolve) =>
      lookup('localhost', { all: true }, (err, address) => resolve({ err, address })),
    );
    expect(result.err).toBeNull();
    expect(Array.isArray(result.address) && result.address.length > 0).toBe(true);
  });
});
