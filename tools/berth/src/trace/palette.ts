interface ServiceColour {
  /** ANSI SGR foreground code. */
  ansi: number;
  /** For SVG and HTML. */
  hex: string;
}

// The same service keeps the same colour in every view, so that a reader learns it once.
const KNOWN: Record<string, ServiceColour> = {
  dockerd: { ansi: 34, hex: '#4e79a7' },
  containerd: { ansi: 32, hex: '#59a14f' },
  shim: { ansi: 33, hex: '#d4a72c' },
  runtime: { ansi: 35, hex: '#b07aa1' },
  registry: { ansi: 36, hex: '#76b7b2' },
};
const OTHERS: ServiceColour[] = [
  { ansi: 31, hex: '#e15759' },
  { ansi: 91, hex: '#ff9da7' },
  { ansi: 90, hex: '#9c755f' },
];

export function serviceColour(service: string): ServiceColour {
  const known = KNOWN[service];
  if (known) return known;
  let hash = 0;
  for (const ch of service) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return OTHERS[hash % OTHERS.length]!;
}

/**
 * `text` in the service's colour when `enabled`, else unchanged. Written out rather than
 * util.styleText, which on Node 20 decides by itself whether stdout is a terminal.
 */
export function paint(text: string, service: string, enabled: boolean): string {
  return enabled ? `\x1b[${serviceColour(service).ansi}m${text}\x1b[39m` : text;
}
