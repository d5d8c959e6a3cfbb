// The event bus, Docker's event filters and its time arguments, without a daemon.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '../src/api/filters';
import { containerActor, imageActor } from '../src/events/actors';
import { EventBus, type DockerEvent } from '../src/events/bus';
import { matchesEvent, parseEventFilters } from '../src/events/filter';
import { parseGoDuration, parseTimestamp } from '../src/events/timestamps';
import type { ContainerRecord } from '../src/containers/record';

const record = {
  Id: 'abc123def456',
  Name: '/web',
  Config: { Image: 'busybox:latest', Labels: { tier: 'front', 'com.example': 'x' } },
} as unknown as ContainerRecord;

const filters = (f: Record<string, string[]>) => parseEventFilters(JSON.stringify(f));

describe('event bus', () => {
  it('stamps events and keeps only the most recent ones', () => {
    const bus = new EventBus(3);
    const seen: DockerEvent[] = [];
    const stop = bus.subscribe((e) => seen.push(e));
    for (const action of ['create', 'start', 'die', 'destroy'])
      bus.publish({ Type: 'container', Action: action, Actor: containerActor(record) });
    stop();
    bus.publish({ Type: 'container', Action: 'late', Actor: containerActor(record) });
    expect(seen.map((e) => e.Action)).toEqual(['create', 'start', 'die', 'destroy']);
    const recent = bus.recent(0, 0);
    expect(recent.map((e) => e.Action)).toEqual(['die', 'destroy', 'late']);
    expect(recent[0]!.scope).toBe('local');
    expect(recent[0]!.time).toBe(Math.floor(recent[0]!.timeNano / 1e9));
    expect(Math.abs(recent[0]!.time - Date.now() / 1000)).toBeLessThan(5);
    expect(recent[1]!.timeNano).toBeGreaterThanOrEqual(recent[0]!.timeNano);
    expect(bus.recent(recent[1]!.timeNano, recent[1]!.timeNano).map((e) => e.Action)).toEqual([
      'destroy',
    ]);
  });

  it('gives container actors their labels, image and name without the slash', () => {
    expect(containerActor(record, { exitCode: '3' })).toEqual({
      ID: 'abc123def456',
      Attributes: {
        tier: 'front',
        'com.example': 'x',
        exitCode: '3',
        image: 'busybox:latest',
        name: 'web',
      },
    });
  });
});

describe('event filters', () => {
  const bus = new EventBus();
  const die = bus.publish({ Type: 'container', Action: 'die', Actor: containerActor(record) });
  const exec = bus.publish({
    Type: 'container',
    Action: 'exec_start: sh -c true',
    Actor: containerActor(record, { execID: 'e1' }),
  });
  const tag = bus.publish({
    Type: 'image',
    Action: 'tag',
    Actor: imageActor('sha256:0123', 'busybox:mine', { tier: 'base' }),
  });

  it('matches type, event, container (ID or name prefix), image and label', () => {
    expect(matchesEvent(filters({}), die)).toBe(true);
    expect(matchesEvent(filters({ type: ['container'] }), tag)).toBe(false);
    expect(matchesEvent(filters({ type: ['image', 'container'] }), tag)).toBe(true);
    expect(matchesEvent(filters({ event: ['die', 'stop'] }), die)).toBe(true);
    expect(matchesEvent(filters({ event: ['di'] }), die)).toBe(false);
    expect(matchesEvent(filters({ container: ['abc1'] }), die)).toBe(true);
    expect(matchesEvent(filters({ container: ['we'] }), die)).toBe(true);
    expect(matchesEvent(filters({ container: ['other'] }), die)).toBe(false);
    expect(matchesEvent(filters({ image: ['busybox'] }), die)).toBe(true);
    expect(matchesEvent(filters({ image: ['busybox:latest'] }), die)).toBe(true);
    expect(matchesEvent(filters({ image: ['busy'] }), die)).toBe(false);
    expect(matchesEvent(filters({ image: ['busybox'] }), tag)).toBe(true);
    expect(matchesEvent(filters({ label: ['tier=front'] }), die)).toBe(true);
    expect(matchesEvent(filters({ label: ['tier=back'] }), die)).toBe(false);
    expect(matchesEvent(filters({ label: ['tier'] }), tag)).toBe(true);
    expect(matchesEvent(filters({ volume: ['v'] }), die)).toBe(false);
  });

  it('matches exec actions by their prefix, as moby does for exec_start and exec_create', () => {
    expect(matchesEvent(filters({ event: ['exec_start'] }), exec)).toBe(true);
    expect(matchesEvent(filters({ event: ['exec_die'] }), exec)).toBe(false);
  });

  it("refuses keys Docker does not know with Docker's message", () => {
    expect(() => parseEventFilters('{"bogus":{"x":true}}')).toThrow("invalid filter 'bogus'");
    expect(parseFilters('{"type":["image"]}', ['type']).get('type')).toEqual(['image']);
  });
});

describe('time arguments', () => {
  const now = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

  it('reads Go durations as instants before now, in whole seconds', () => {
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('1.5s')).toBe(1.5e9);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseTimestamp('10m', now)).toBe((Math.floor(now / 1000) - 600) * 1e9);
    expect(parseTimestamp('1500ms', now)).toBe(Math.floor((now - 1500) / 1000) * 1e9);
  });

  it('reads Unix seconds with fractions and RFC 3339-like dates', () => {
    expect(parseTimestamp('1700000000')).toBe(1700000000e9);
    expect(parseTimestamp('1700000000.5')).toBe(1700000000.5e9);
    expect(parseTimestamp('0')).toBe(0);
    expect(parseTimestamp('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6);
    expect(parseTimestamp('2024-01-02T03:04:05.25+01:00')).toBe(
      (Date.UTC(2024, 0, 2, 2, 4, 5) + 250) * 1e6,
    );
    expect(parseTimestamp('2024-01-02T03:04')).toBe(new Date(2024, 0, 2, 3, 4).getTime() * 1e6);
    expect(parseTimestamp('2024-01-02')).toBe(new Date(2024, 0, 2).getTime() * 1e6);
  });

  it("refuses anything else with Docker's message", () => {
    expect(() => parseTimestamp('yesterday')).toThrow(
      'failed to parse value as time or duration: "yesterday"',
    );
  });
});
