// Container records on disk: what loadAll finds after saves, removals and an unfinished removal.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerRecord } from '../src/containers/record';
import { RecordStore } from '../src/containers/record-store';

const record = (id: string) => ({ Id: id, Name: `/${id}` }) as ContainerRecord;

describe('record store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const newStore = () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-records-'));
    dirs.push(dir);
    return new RecordStore(dir);
  };

  it('takes a removed container out at once and deletes its files after', async () => {
    const store = newStore();
    store.save(record('a'));
    store.save(record('b'));
    writeFileSync(join(store.dir('a'), 'a-json.log'), 'x');

    const removed = store.remove('a');
    expect(existsSync(store.dir('a'))).toBe(false);
    expect(store.loadAll().map((r) => r.Id)).toEqual(['b']);
    await removed;
    expect(readdirSync(store.root)).toEqual(['b']);
    await store.remove('a'); // gone already: nothing to do
  });

  it('clears an unfinished removal and a failed create at load, keeping the rest', () => {
    const store = newStore();
    store.save(record('c'));
    store.save(record('d'));
    // A daemon that died mid-removal leaves the renamed directory, record and all.
    mkdirSync(join(store.root, '.d.removing'));
    writeFileSync(join(store.root, '.d.removing', 'config.v2.json'), JSON.stringify(record('d')));
    rmSync(store.dir('d'), { recursive: true });
    mkdirSync(join(store.root, 'e')); // a create that never wrote its record

    expect(store.loadAll().map((r) => r.Id)).toEqual(['c']);
    expect(readdirSync(store.root)).toEqual(['c']);
  });
});
