// The runtime table behind `--default-runtime`, `--add-runtime` and `docker run --runtime`.
import { unpackAny } from '@berth/proto';
import { describe, expect, it } from 'vitest';
import { parseAddRuntime, RuntimeTable } from '../src/containers/runtimes';

const binaryOf = (table: RuntimeTable, name?: string) => {
  const { options } = table.resolve(name);
  return options ? unpackAny(options).value.binary_name : undefined;
};

describe('runtimes', () => {
  it('maps the built-in names to a shim and, for binaries, the runc options naming them', () => {
    const table = new RuntimeTable('io.containerd.runc.v2');
    expect(table.resolve(undefined)).toEqual({
      name: 'io.containerd.runc.v2',
      runtimeType: 'io.containerd.runc.v2',
      options: undefined,
    });
    expect(table.resolve('runc').runtimeType).toBe('io.containerd.runc.v2');
    expect(binaryOf(table, 'runc')).toBe('runc');
    expect(binaryOf(table, 'crun')).toBe('crun');
    // berth's shim with no binary named: it runs berth's runtime in its own process.
    expect(table.resolve('io.containerd.berth.v1')).toEqual({
      name: 'io.containerd.berth.v1',
      runtimeType: 'io.containerd.berth.v1',
      options: undefined,
    });
    expect(table.resolve('berth-runc').runtimeType).toBe('io.containerd.runc.v2');
    expect(binaryOf(table, 'berth-runc')).toBe('berth-runc');
  });

  it("refuses an unknown runtime with Docker's 400", () => {
    const table = new RuntimeTable('runc');
    expect(() => table.resolve('kata')).toThrow(
      expect.objectContaining({ statusCode: 400, message: 'Unknown runtime specified kata' }),
    );
  });

  it('adds runtimes by path, by shim type, and by shim type with a binary', () => {
    expect(parseAddRuntime('my=/opt/bin/my-runc')).toEqual([
      'my',
      { runtimeType: 'io.containerd.runc.v2', binaryName: '/opt/bin/my-runc' },
    ]);
    expect(parseAddRuntime('gv=io.containerd.runsc.v1')).toEqual([
      'gv',
      { runtimeType: 'io.containerd.runsc.v1' },
    ]);
    expect(parseAddRuntime('bc=io.containerd.berth.v1:crun')).toEqual([
      'bc',
      { runtimeType: 'io.containerd.berth.v1', binaryName: 'crun' },
    ]);
    for (const bad of ['noequals', '=path', 'name=']) expect(() => parseAddRuntime(bad)).toThrow();
    const table = new RuntimeTable('bc', ['bc=io.containerd.berth.v1:crun']);
    expect(table.resolve(undefined).runtimeType).toBe('io.containerd.berth.v1');
    expect(binaryOf(table)).toBe('crun');
    expect(table.info().bc).toEqual({ runtimeType: 'io.containerd.berth.v1', path: 'crun' });
    expect(table.info().runc).toEqual({ path: 'runc' });
  });

  it('refuses a default that is not configured, a reserved or a duplicate name', () => {
    expect(() => new RuntimeTable('nope')).toThrow(/default runtime 'nope'/);
    expect(() => new RuntimeTable('runc', ['runc=/x'])).toThrow(/reserved/);
    expect(() => new RuntimeTable('runc', ['a=/x', 'a=/y'])).toThrow(/twice/);
  });
});
