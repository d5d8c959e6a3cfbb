import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './args';
import { parseCommand } from './commands';
import { parseSignal } from './signals';

describe('command line', () => {
  it('parses global flags, the command, its flags and positionals as runc', () => {
    const c = parseCommand([
      '--root',
      '/r',
      '--log=/l',
      '--log-format',
      'json',
      'create',
      '-b',
      '/b',
      '--pid-file=/p',
      'id1',
    ]);
    expect(c.global).toEqual({ root: '/r', log: '/l', 'log-format': 'json' });
    expect(c.name).toBe('create');
    expect(c.flags).toEqual({ bundle: '/b', 'pid-file': '/p' });
    expect(c.args).toEqual(['id1']);
  });

  it('accepts Go single-dash long flags and flags after the id', () => {
    const c = parseCommand(['-root', '/r', 'delete', 'id1', '-force']);
    expect(c.global.root).toBe('/r');
    expect(c.flags.force).toBe(true);
    expect(c.args).toEqual(['id1']);
  });

  it('stops at the container id for exec, keeping the command intact', () => {
    const c = parseCommand(['exec', '-e', 'A=1', '-e', 'B=2', '--tty', 'id1', 'ls', '-l', '--all']);
    expect(c.flags).toEqual({ env: ['A=1', 'B=2'], tty: true });
    expect(c.args).toEqual(['id1', 'ls', '-l', '--all']);
  });

  it('rejects unknown commands and flags, and flags without values', () => {
    expect(() => parseCommand(['frobnicate'])).toThrow(UsageError);
    expect(() => parseCommand(['kill', '--bogus', 'x'])).toThrow(
      /flag provided but not defined: --bogus/,
    );
    expect(() => parseFlags(['--bundle'], { bundle: { type: 'string' } })).toThrow(
      /needs an argument/,
    );
  });

  it('reads signals by name, SIG name and number', () => {
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('SIGTERM')).toBe(15);
    expect(parseSignal('10')).toBe(10);
    expect(() => parseSignal('NOPE')).toThrow(/unknown signal/);
  });
});
