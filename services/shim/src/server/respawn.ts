// The script a berth-monitor runs to bring its group server back after the server died: this
// very process's command line and event address, with output appended to the group log.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerRespawn } from '@berth/monitor';

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

export async function writeRespawnScript(groupDir: string, socket: string): Promise<ServerRespawn> {
  const script = join(groupDir, 'respawn.sh');
  const command = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const env = process.env.TTRPC_ADDRESS ? `TTRPC_ADDRESS=${quote(process.env.TTRPC_ADDRESS)} ` : '';
  const log = quote(join(groupDir, 'shim.log'));
  const body = [
    '#!/bin/sh',
    '# Starts the berth shim server of this group again; run by berth-monitor.',
    `cd / && exec env ${env}${command.map(quote).join(' ')} </dev/null >>${log} 2>&1`,
    '',
  ].join('\n');
  await writeFile(`${script}.tmp`, body, { mode: 0o700 });
  await rename(`${script}.tmp`, script);
  return { socket: socket.replace(/^unix:\/\//, ''), script };
}
