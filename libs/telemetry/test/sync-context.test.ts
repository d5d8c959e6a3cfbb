import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SyncContextManager } from '../src/sync-context';

const KEY = createContextKey('k');

describe('SyncContextManager', () => {
  it('holds a context for the synchronous part of `with` only, and restores the outer one', async () => {
    const m = new SyncContextManager();
    const outer = ROOT_CONTEXT.setValue(KEY, 'outer');
    const inner = ROOT_CONTEXT.setValue(KEY, 'inner');
    let afterAwait: unknown;
    await m.with(outer, async () => {
      expect(m.active().getValue(KEY)).toBe('outer');
      m.with(inner, () => expect(m.active().getValue(KEY)).toBe('inner'));
      expect(m.active().getValue(KEY)).toBe('outer');
      await Promise.resolve();
      afterAwait = m.active().getValue(KEY); // continuations are not followed
    });
    expect(afterAwait).toBeUndefined();
    expect(m.active()).toBe(ROOT_CONTEXT);
  });

  it('restores the outer context when the callback throws, and binds functions', () => {
    const m = new SyncContextManager();
    const ctx = ROOT_CONTEXT.setValue(KEY, 'v');
    expect(() =>
      m.with(ctx, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(m.active()).toBe(ROOT_CONTEXT);
    const bound = m.bind(ctx, () => m.active().getValue(KEY));
    expect(bound()).toBe('v');
  });
});
