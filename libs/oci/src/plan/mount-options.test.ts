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

  it('passes containerd rootfs mounts through as mount(8) does: overlay data, bind flags', () => {
    expect(
      parseMountOptions(['index=off', 'workdir=/w', 'upperdir=/u', 'lowerdir=/l1:/l2']),
    ).toEqual({
      flags: 0,
      propagation: 0,
      data: 'index=off,workdir=/w,upperdir=/u,lowerdir=/l1:/l2',
    });
    const bind = parseMountOptions(['rbind', 'ro', 'nosuid']);
    expect(bind.flags).toBe(4096 | 16384 | 1 | 2);
    expect(bind.data).toBe('');
    expect(parseMountOptions(['ro', 'rw']).flags).toBe(0);
  });
});
