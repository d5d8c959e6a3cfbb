import { describe, expect, it } from 'vitest';
import { MS, parseMountOptions } from './mount-options';

describe('parseMountOptions', () => {
  it('splits flags, clearing options, propagation and filesystem data', () => {
    expect(
      parseMountOptions([
        'rbind',
        'ro',
        'nosuid',
        'rw',
        'noexec',
        'rprivate',
        'mode=755',
        'size=1k',
      ]),
    ).toEqual({
      flags: MS.BIND | MS.REC | MS.NOSUID | MS.NOEXEC,
      propagation: MS.PRIVATE | MS.REC,
      data: 'mode=755,size=1k',
    });
    expect(parseMountOptions(undefined)).toEqual({ flags: 0, propagation: 0, data: '' });
  });
});
