// Builds the reply to one DNS query from a lookup of container names. Names the lookup does
// not know get SERVFAIL, as Docker's resolver answers when it cannot forward: nothing is
// forwarded off the machine. A known name asked for another type (AAAA) gets an empty
// NOERROR answer, so resolvers do not fall back to searching.
import * as dnsPacket from 'dns-packet';

/** Addresses for a name, or undefined when the name is not a container's. */
export type NameLookup = (name: string, sourceIP: string) => string[] | undefined;

const RCODE_SERVFAIL = 2;
const RCODE_NOTIMP = 4;
const RCODE_FORMERR = 1;
/** Short, as Docker's 600 s would outlive a container that is replaced. */
const TTL_SECONDS = 10;

export function answerQuery(
  query: Buffer,
  sourceIP: string,
  lookup: NameLookup,
): Buffer | undefined {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(query);
  } catch {
    return undefined; // not DNS: drop, as a resolver does
  }
  if (packet.type !== 'query') return undefined;
  const base = {
    type: 'response' as const,
    id: packet.id ?? 0,
    questions: packet.questions ?? [],
  };
  const rd = (packet.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const flags = (rcode: number) => rd | dnsPacket.RECURSION_AVAILABLE | rcode;
  const question = packet.questions?.[0];
  if (!question || packet.questions!.length !== 1)
    return dnsPacket.encode({ ...base, flags: flags(RCODE_FORMERR), answers: [] });
  if (((packet.flags ?? 0) >> 11) & 0xf)
    // opcode other than QUERY
    return dnsPacket.encode({ ...base, flags: flags(RCODE_NOTIMP), answers: [] });
  const addresses = lookup(question.name.replace(/\.$/, '').toLowerCase(), sourceIP);
  if (!addresses) return dnsPacket.encode({ ...base, flags: flags(RCODE_SERVFAIL), answers: [] });
  const answers: dnsPacket.Answer[] =
    question.type === 'A' && question.class === 'IN'
      ? addresses.map((data) => ({
          type: 'A',
          class: 'IN',
          name: question.name,
          ttl: TTL_SECONDS,
          data,
        }))
      : [];
  return dnsPacket.encode({
    ...base,
    flags: flags(0) | dnsPacket.AUTHORITATIVE_ANSWER,
    answers,
  });
}
