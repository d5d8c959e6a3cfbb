// The per-container NAT rules the plugins tag with a comment naming network and container:
// the bridge plugin's masquerade jump (`name: "<network>" id: "<container>"`) and portmap's
// DNAT jump (`dnat name: …`). Listing them finds what a crash left; the masquerade chain is
// removed here because the bridge plugin's DEL removes it only while the container's
// interface still exists (portmap's DEL needs no namespace and removes its own).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface CniNatRule {
  kind: 'masquerade' | 'dnat';
  network: string;
  containerId: string;
  /** The rule's arguments after `-A`, as iptables-save prints them (chain first). */
  args: string[];
  /** Host ports a DNAT rule forwards (its -p and --dports). */
  hostPorts: { protocol: string; hostPort: number }[];
}

const COMMENT = /^(dnat )?name: "([^"]*)" id: "([^"]*)"$/;

export async function listCniNatRules(): Promise<CniNatRule[]> {
  const { stdout } = await execFileP('iptables-save', ['-t', 'nat']);
  const rules: CniNatRule[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const args = splitRule(line.slice(3));
    const at = args.indexOf('--comment');
    const match = at >= 0 ? COMMENT.exec(args[at + 1] ?? '') : null;
    if (!match) continue;
    const kind = match[1] ? 'dnat' : 'masquerade';
    if (kind === 'masquerade' && args[0] !== 'POSTROUTING') continue; // rules inside the chain
    rules.push({
      kind,
      network: match[2]!,
      containerId: match[3]!,
      args,
      hostPorts: hostPorts(args),
    });
  }
  return rules;
}

/** Deletes the POSTROUTING jump, then flushes and deletes the chain it jumps to. */
export async function deleteMasqRule(rule: CniNatRule): Promise<void> {
  const chain = rule.args[rule.args.indexOf('-j') + 1];
  await execFileP('iptables', ['-w', '-t', 'nat', '-D', ...rule.args]);
  if (chain && chain.startsWith('CNI-')) {
    await execFileP('iptables', ['-w', '-t', 'nat', '-F', chain]);
    await execFileP('iptables', ['-w', '-t', 'nat', '-X', chain]);
  }
}

function hostPorts(args: string[]): { protocol: string; hostPort: number }[] {
  const protocol = args[args.indexOf('-p') + 1];
  const ports = args[args.indexOf('--dports') + 1];
  if (!args.includes('-p') || !args.includes('--dports') || !protocol || !ports) return [];
  return ports.split(',').map((p) => ({ protocol, hostPort: Number(p.split(':')[0]) }));
}

/** Splits an iptables-save rule into arguments, honouring its "…" quoting and \" escapes. */
export function splitRule(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) current += text[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) args.push(current);
  return args;
}
