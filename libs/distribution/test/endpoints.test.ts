import { describe, expect, it } from 'vitest';
import {
  endpointsFor,
  hostPlatform,
  isInsecure,
  normalizedTagged,
  parseReference,
  registryHostOf,
  selectPlatform,
} from '../src';

describe('endpointsFor', () => {
  it('uses plain HTTP for loopback, HTTPS then HTTP for insecure hosts, HTTPS otherwise', () => {
    expect(endpointsFor('127.0.0.1:5000', [])).toEqual([
      { base: 'http://127.0.0.1:5000', skipVerify: false },
    ]);
    expect(endpointsFor('localhost', [])[0]?.base).toBe('http://localhost');
    expect(endpointsFor('[::1]:5000', [])[0]?.base).toBe('http://[::1]:5000');
    expect(endpointsFor('reg.example:5000', ['reg.example:5000'])).toEqual([
      { base: 'https://reg.example:5000', skipVerify: true },
      { base: 'http://reg.example:5000', skipVerify: false },
    ]);
    expect(endpointsFor('docker.io', [])).toEqual([
      { base: 'https://registry-1.docker.io', skipVerify: false },
    ]);
    expect(endpointsFor('127.0.0.1:5000', [], true)[0]?.base).toBe('https://127.0.0.1:5000');
  });

  it('matches insecure entries by host, host:port and CIDR', () => {
    expect(isInsecure('198.18.3.4:5000', ['198.18.0.0/15'])).toBe(true);
    expect(isInsecure('198.20.0.1:5000', ['198.18.0.0/15'])).toBe(false);
    expect(isInsecure('reg.example', ['reg.example'])).toBe(true);
    expect(isInsecure('reg.example:443', ['reg.example:5000'])).toBe(false);
  });

  it('maps login server addresses to registry hosts', () => {
    expect(registryHostOf('https://index.docker.io/v1/')).toBe('docker.io');
    expect(registryHostOf('http://127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(registryHostOf('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});

describe('references and platforms', () => {
  it('normalises as Docker does', () => {
    expect(normalizedTagged('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizedTagged('127.0.0.1:5000/a/b:v1')).toBe('127.0.0.1:5000/a/b:v1');
    expect(() => parseReference('Upper/Case')).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
  });

  it('picks the host platform from an index', () => {
    const entry = (architecture: string) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${architecture}`,
      size: 1,
      platform: { os: 'linux', architecture },
    });
    const index = { schemaVersion: 2 as const, manifests: [entry('arm64'), entry('amd64')] };
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' })?.digest).toBe(
      'sha256:amd64',
    );
    expect(selectPlatform(index, { os: 'linux', architecture: 's390x' })).toBeUndefined();
    expect(hostPlatform().os).toBe('linux');
  });
});
