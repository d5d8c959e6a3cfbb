// IPv4 arithmetic for subnets, gateways and ranges. Addresses are unsigned 32-bit numbers.
import { isIPv4 } from 'node:net';
import { invalidParameter } from './errors';

export interface Cidr {
  /** Network address (host bits cleared). */
  base: number;
  prefix: number;
}

export function parseIPv4(text: string): number {
  if (!isIPv4(text)) throw invalidParameter(`invalid IPv4 address: ${text}`);
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parses "a.b.c.d/n"; the host bits must be zero unless `allowHostBits` (e.g. for 198.18.0.5/24). */
export function parseCidr(text: string, allowHostBits = false): Cidr & { address: number } {
  const [addr, len, ...rest] = text.split('/');
  const prefix = Number(len);
  if (rest.length || addr === undefined || !/^\d{1,2}$/.test(len ?? '') || prefix > 32)
    throw invalidParameter(`invalid CIDR address: ${text}`);
  const address = parseIPv4(addr);
  const base = address - (address % size({ base: 0, prefix }));
  if (!allowHostBits && base !== address)
    throw invalidParameter(
      `invalid CIDR address: ${text} (host bits set; did you mean ${formatIPv4(base)}/${prefix}?)`,
    );
  return { base, prefix, address };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function contains(outer: Cidr, ip: number): boolean {
  return ip >= outer.base && ip < outer.base + size(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** First and last usable host addresses (no network or broadcast address). */
export function hostRange(c: Cidr): { first: number; last: number } {
  if (c.prefix >= 31) return { first: c.base, last: c.base + size(c) - 1 };
  return { first: c.base + 1, last: c.base + size(c) - 2 };
}
