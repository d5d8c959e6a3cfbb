import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isJournalStream,
  journalDestination,
  journalFieldName,
  journalFields,
  underSystemd,
} from '../src/index';

describe('journalFields', () => {
  it('maps a pino line to MESSAGE, PRIORITY and one field per key', () => {
    const line = JSON.stringify({
      level: 50,
      time: 1,
      pid: 7,
      hostname: 'h',
      service: 'dockerd',
      trace_id: 'abc',
      'container.id': 'c1',
      err: { type: 'Error', message: 'boom' },
      msg: 'create failed',
    });
    expect(journalFields(line, 'berth-dockerd')).toEqual([
      'MESSAGE=create failed',
      'PRIORITY=3',
      'SYSLOG_IDENTIFIER=berth-dockerd',
      'SERVICE=dockerd',
      'TRACE_ID=abc',
      'CONTAINER_ID=c1',
      'ERR={"type":"Error","message":"boom"}',
    ]);
  });

  it.each([
    [60, 2],
    [40, 4],
    [30, 6],
    [20, 7],
    [10, 7],
  ])('maps pino level %i to syslog priority %i', (level, priority) => {
    expect(journalFields(JSON.stringify({ level, msg: 'x' }), 'id')[1]).toBe(
      `PRIORITY=${priority}`,
    );
  });

  it('keeps a line that is not a JSON object whole', () => {
    expect(journalFields('plain text', 'id')).toEqual([
      'MESSAGE=plain text',
      'PRIORITY=6',
      'SYSLOG_IDENTIFIER=id',
    ]);
  });

  it('never lets a log key forge a trusted or reserved journal field', () => {
    expect(journalFieldName('_PID')).toBe('PID');
    expect(journalFieldName('__x')).toBe('X');
    expect(journalFieldName('9lives')).toBe('LIVES');
    expect(journalFieldName('message')).toBe('LOG_MESSAGE');
    expect(journalFieldName('priority')).toBe('LOG_PRIORITY');
    expect(journalFieldName('_')).toBeUndefined();
    expect(journalFieldName('a'.repeat(80))).toHaveLength(64);
  });
});

describe('journalDestination', () => {
  it('sends each line as one entry and falls back to stderr when the journal refuses', () => {
    const sent: string[][] = [];
    const fallback: string[] = [];
    let refuse = false;
    const dest = journalDestination(
      'berth-registry',
      (fields) => {
        sent.push(fields);
        return refuse ? -11 : 0;
      },
      { write: (line) => fallback.push(line) },
    );
    dest.write('{"level":30,"msg":"listening","addr":"127.0.0.1:5000"}\n');
    refuse = true;
    dest.write('{"level":40,"msg":"slow"}\n');
    expect(sent[0]).toEqual([
      'MESSAGE=listening',
      'PRIORITY=6',
      'SYSLOG_IDENTIFIER=berth-registry',
      'ADDR=127.0.0.1:5000',
    ]);
    expect(fallback).toEqual(['{"level":40,"msg":"slow"}\n']);
  });
});

describe('detection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-journal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises the journal stream by the fd, not by the variable alone', () => {
    const fd = openSync(join(dir, 'stream'), 'w');
    const other = openSync(join(dir, 'other'), 'w');
    try {
      const st = fstatSync(fd, { bigint: true });
      const env = { JOURNAL_STREAM: `${st.dev}:${st.ino}` };
      expect(isJournalStream(fd, env)).toBe(true);
      // A child that redirected its stderr inherits the variable but not the stream.
      expect(isJournalStream(other, env)).toBe(false);
      expect(isJournalStream(fd, {})).toBe(false);
      expect(isJournalStream(fd, { JOURNAL_STREAM: 'garbage' })).toBe(false);
    } finally {
      closeSync(fd);
      closeSync(other);
    }
  });

  it('knows a systemd service by its INVOCATION_ID', () => {
    expect(underSystemd({ INVOCATION_ID: '0123456789abcdef0123456789abcdef' })).toBe(true);
    expect(underSystemd({})).toBe(false);
  });
});
