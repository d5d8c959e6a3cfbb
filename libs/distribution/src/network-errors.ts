// Failures of the connection rather than answers of the registry: Docker tries a registry's
// next endpoint after one, and a blob download resumes after one.
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|EPROTO|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/.test(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /certificate|self[- ]signed|SSL/i.test((err as Error).message ?? '')
  );
}
