/**
 * @module Refuses private, loopback, link-local and other non-public addresses, so a feed link cannot
 * make the bot fetch from inside its own network. The check runs on the resolved addresses (inside the
 * socket's DNS lookup, so a name that resolves differently later cannot slip through) and again on
 * every redirect.
 */

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { FetchError } from '../shared/errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for any address that is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const lower = address.toLowerCase();
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that one.
    const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
    if (hexMapped?.[1] && hexMapped[2]) {
      const hi = Number.parseInt(hexMapped[1], 16);
      const lo = Number.parseInt(hexMapped[2], 16);
      return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
    }
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export interface AddressPolicy {
  /** Allow every private address (tests, evaluation scripts, intranet deployments). */
  allowPrivate: boolean;
  /** Host names (or IP literals) allowed even when they are private, e.g. the loopback host of a `--feed`. */
  allowHosts: ReadonlySet<string>;
}

export const PUBLIC_ONLY: AddressPolicy = { allowPrivate: false, allowHosts: new Set() };

export function normalizeHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export function isHostAllowed(policy: AddressPolicy, hostname: string): boolean {
  return policy.allowPrivate || policy.allowHosts.has(normalizeHost(hostname));
}

export function isLoopbackHost(hostname: string): boolean {
  const h = normalizeHost(hostname);
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Throws when `hostname` is an IP literal or well-known name the policy refuses. */
export function assertHostAllowed(policy: AddressPolicy, url: string, hostname: string): void {
  if (isHostAllowed(policy, hostname)) return;
  const h = normalizeHost(hostname);
  if ((isIP(h) && isPrivateAddress(h)) || isLoopbackHost(h)) {
    throw new FetchError(
      'fetch_blocked_address',
      `refused to fetch ${url}: ${h} is a private or loopback address (to allow such addresses, set fetch.allowPrivateAddresses: true or BRIEFBOT_ALLOW_PRIVATE_ADDRESSES=true)`,
      { url },
    );
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request / net.connect that resolves the name and refuses private results.
 * Handles both the `all: true` form (used by happy-eyeballs connects) and the single-address form.
 */
export function createGuardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    const allowed = isHostAllowed(policy, hostname);
    dnsLookup(hostname, { ...options, all: true } as { all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : '', undefined);
      const usable = allowed ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        const e = Object.assign(
          new Error(
            `${hostname} resolves only to private or loopback addresses (${addresses.map((a) => a.address).join(', ')}); to allow them, set fetch.allowPrivateAddresses: true`,
          ),
          { code: 'EBLOCKEDADDRESS' },
        );
        return callback(e, options.all ? [] : '', undefined);
      }
      if (options.all) return callback(null, usable);
      const first = usable[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
