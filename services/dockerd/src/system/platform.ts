// Facts about the host in the vocabulary the Engine API uses (Go's GOARCH names,
// os-release's PRETTY_NAME).
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, release, totalmem } from 'node:os';

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function goArch(nodeArch: string = arch()): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}

/** PRETTY_NAME from os-release, as `docker info` shows it under "Operating System". */
export function operatingSystem(osRelease = readOsRelease()): string {
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease);
  return match?.[1] ?? 'Linux';
}

function readOsRelease(): string {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // try the next location
    }
  }
  return '';
}

export interface HostFacts {
  kernelVersion: string;
  operatingSystem: string;
  arch: string;
  ncpu: number;
  memTotal: number;
}

export function hostFacts(): HostFacts {
  return {
    kernelVersion: release(),
    operatingSystem: operatingSystem(),
    arch: goArch(),
    ncpu: availableParallelism(),
    memTotal: totalmem(),
  };
}
