import { describe, expect, it } from 'vitest';
import { DetachKeyScanner, parseDetachKeys } from '../src/api/detach-keys';

describe('detach keys', () => {
  it("reads Docker's key names", () => {
    expect([...parseDetachKeys('')]).toEqual([0x10, 0x11]);
    expect([...parseDetachKeys('ctrl-x,x')]).toEqual([0x18, 0x78]);
    expect([...parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-_,DEL,a')]).toEqual([
      0, 27, 28, 31, 127, 0x61,
    ]);
    for (const bad of ['ctrl-', 'ctrl-1', 'ab', 'ctrl-x,', 'é', 'constructor'])
      expect(() => parseDetachKeys(bad)).toThrow(`Invalid detach keys (${bad}) provided`);
  });

  it('forwards input up to the keys, holding back a partial match until it breaks', () => {
    const scanner = new DetachKeyScanner(Buffer.from([0x10, 0x11]));
    expect(scanner.scan(Buffer.from('ab\x10'))).toEqual({
      input: Buffer.from('ab'),
      detached: false,
    });
    // the held key was input after all; the byte that broke the match passes too
    expect(scanner.scan(Buffer.from('c'))).toEqual({
      input: Buffer.from('\x10c'),
      detached: false,
    });
    // a repeated first key restarts the match
    expect(scanner.scan(Buffer.from('\x10\x10'))).toEqual({
      input: Buffer.from('\x10'),
      detached: false,
    });
    expect(scanner.scan(Buffer.from('\x11rest'))).toEqual({
      input: Buffer.alloc(0),
      detached: true,
    });
  });
});
