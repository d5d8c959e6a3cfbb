// Registry credentials as the docker CLI sends them: X-Registry-Auth is base64url JSON of
// {username, password, serveraddress} or {identitytoken}; POST /auth has the same JSON as body.
import type { Credentials } from '@berth/distribution';
import { invalidParameter } from '../api/errors';

export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export function credentialsOf(config: AuthConfig): Credentials | undefined {
  const creds: Credentials = {
    ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
    ...(config.identitytoken ? { identityToken: config.identitytoken } : {}),
    ...(config.registrytoken ? { registryToken: config.registrytoken } : {}),
  };
  return Object.keys(creds).length > 0 ? creds : undefined;
}

/** Credentials from an X-Registry-Auth header; none when it is absent or empty ("{}"). */
export function decodeRegistryAuth(header: string | string[] | undefined): Credentials | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  let parsed: unknown;
  try {
    // Node's base64 decoder reads both the URL-safe and the standard alphabet, padded or not.
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter('invalid X-Registry-Auth header: not base64url-encoded JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw invalidParameter('invalid X-Registry-Auth header: not a JSON object');
  }
  return credentialsOf(parsed as AuthConfig);
}
