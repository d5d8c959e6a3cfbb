// Once per `vitest run`, around every project: host state that tests of several packages
// share and that no single test may clean while another could still be using it.
import { iptablesSave, removeChainsCreatedSince } from '@berth/test-peers';

export default async function setup() {
  const iptablesBefore = process.getuid?.() === 0 ? await iptablesSave().catch(() => null) : null;
  return async () => {
    // The CNI plugins' shared chains (CNI-HOSTPORT-*, CNI-FORWARD) that this run created.
    if (iptablesBefore !== null) await removeChainsCreatedSince(iptablesBefore);
  };
}
