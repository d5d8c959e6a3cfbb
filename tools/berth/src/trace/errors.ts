/** Bad command line: the CLI prints the message and the usage, and exits 2. */
export class TraceUsageError extends Error {
  override name = 'TraceUsageError';
}

/**
 * The command cannot be carried out (missing or empty store, unknown or ambiguous id, a failing
 * compare command, an unwritable export file): exit 1.
 */
export class TraceCommandError extends Error {
  override name = 'TraceCommandError';
}
