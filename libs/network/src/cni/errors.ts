import type { CniErrorBody } from './types';

// Well-known error codes from the CNI spec; 100+ are plugin-specific.
const CODE_NAMES: Record<number, string> = {
  1: 'incompatible CNI version',
  2: 'unsupported field in network configuration',
  3: 'container unknown or does not exist',
  4: 'invalid necessary environment variables',
  5: 'I/O failure',
  6: 'failed to decode content',
  7: 'invalid network config',
  11: 'try again later',
};

/** A plugin's failure: which plugin, which command, the CNI code and the plugin's own words. */
export class CniError extends Error {
  override name = 'CniError';
  readonly code: number;
  readonly details?: string;
  constructor(
    readonly plugin: string,
    readonly command: string,
    body: CniErrorBody,
  ) {
    const kind = CODE_NAMES[body.code] ?? (body.code >= 100 ? 'plugin error' : 'error');
    const details = body.details ? ` (${body.details})` : '';
    super(
      `CNI plugin ${plugin} ${command} failed: ${kind} [code ${body.code}]: ${body.msg}${details}`,
    );
    this.code = body.code;
    if (body.details) this.details = body.details;
  }
}
