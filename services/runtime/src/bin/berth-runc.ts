// berth-runc: the OCI runtime's runc-compatible command line.
import { main } from '../cli/main';

process.exitCode = await main(process.argv.slice(2));
