// Signal names as runc's kill accepts them: "KILL", "SIGKILL" or a number.
import { constants } from 'node:os';
import { UsageError } from './args';

export function parseSignal(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const name = (text.startsWith('SIG') ? text : `SIG${text}`).toUpperCase();
  const num = (constants.signals as Record<string, number>)[name];
  if (num === undefined) throw new UsageError(`unknown signal "${text}"`);
  return num;
}
