// Address plans of bridge networks: a user's --subnet/--gateway/--ip-range checked as Docker
// checks them, or the next free subnet of the pool.
import { conflict, forbidden, invalidParameter } from './errors';
import {
  contains,
  formatCidr,
  formatIPv4,
  hostRange,
  overlaps,
  parseCidr,
  parseIPv4,
  size,
  type Cidr,
} from './ip';

export interface SubnetPool {
  /** The range subnets are carved from, e.g. 198.18.0.0/15. */
  base: string;
  /** Prefix length of each network's subnet, e.g. 24. */
  size: number;
}

export interface AddressPlan {
  subnet: string;
  gateway: string;
  ipRange?: string;
}

export function planFromUser(
  req: { subnet: string; gateway?: string; ipRange?: string },
  inUse: Cidr[],
): AddressPlan {
  const subnet = parseCidr(req.subnet, true);
  if (inUse.some((other) => overlaps(other, subnet)))
    throw forbidden('invalid pool request: Pool overlaps with other one on this address space');
  const { first, last } = hostRange(subnet);
  const gateway = req.gateway ? parseIPv4(req.gateway) : first;
  if (!contains(subnet, gateway) || gateway < first || gateway > last)
    throw invalidParameter(`no matching subnet for gateway ${formatIPv4(gateway)}`);
  const plan: AddressPlan = { subnet: formatCidr(subnet), gateway: formatIPv4(gateway) };
  if (req.ipRange) {
    const range = parseCidr(req.ipRange, true);
    if (range.prefix < subnet.prefix || !contains(subnet, range.base))
      throw invalidParameter(`no matching subnet for range ${req.ipRange}`);
    plan.ipRange = formatCidr(range);
  }
  return plan;
}

export function planFromPool(pool: SubnetPool, inUse: Cidr[]): AddressPlan {
  const range = parseCidr(pool.base);
  if (pool.size < range.prefix || pool.size > 30)
    throw invalidParameter(`invalid subnet pool: /${pool.size} subnets of ${pool.base}`);
  const step = size({ base: 0, prefix: pool.size });
  for (let base = range.base; base < range.base + size(range); base += step) {
    const candidate = { base, prefix: pool.size };
    if (!inUse.some((other) => overlaps(other, candidate))) {
      return { subnet: formatCidr(candidate), gateway: formatIPv4(hostRange(candidate).first) };
    }
  }
  throw conflict(`could not find an available, non-overlapping IPv4 address pool in ${pool.base}`);
}

/** host-local's range for a plan: the whole subnet, or only --ip-range. */
export function ipamRange(plan: AddressPlan): Record<string, string> {
  const out: Record<string, string> = { subnet: plan.subnet, gateway: plan.gateway };
  if (plan.ipRange) {
    const subnet = parseCidr(plan.subnet);
    const range = parseCidr(plan.ipRange);
    const hosts = hostRange(subnet);
    const first = Math.max(range.base, hosts.first);
    const last = Math.min(range.base + size(range) - 1, hosts.last);
    out.rangeStart = formatIPv4(first);
    out.rangeEnd = formatIPv4(last);
  }
  return out;
}
