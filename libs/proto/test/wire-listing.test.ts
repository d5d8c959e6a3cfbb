import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { describeWireFormat, diffWireListings, filterListing } from '../scripts/wire-listing';

function listing(source: string) {
  const root = new protobuf.Root();
  protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return describeWireFormat(root);
}

const BASE = `
  syntax = "proto3";
  package demo.v1;
  message Inner { string name = 1; }
  message Outer {
    Inner inner = 1;
    repeated uint64 counts = 2;
    map<string, Inner> by_name = 3;
    oneof choice { string text = 4; int64 number = 5; }
  }
  enum Mode { OFF = 0; ON = 1; }
  service Demo {
    rpc Get(Inner) returns (Outer);
    rpc Watch(Inner) returns (stream Outer);
  }
`;

describe('describeWireFormat', () => {
  it('lists fields by number with resolved types, labels, map keys, packing and oneofs', () => {
    const { messages, enums, services } = listing(BASE);
    expect(messages['demo.v1.Outer']).toEqual({
      inner: { number: 1, label: 'singular', type: 'demo.v1.Inner' },
      counts: { number: 2, label: 'repeated', type: 'uint64', packed: true },
      by_name: { number: 3, label: 'map', type: 'demo.v1.Inner', keyType: 'string' },
      text: { number: 4, label: 'singular', type: 'string', oneof: 'choice' },
      number: { number: 5, label: 'singular', type: 'int64', oneof: 'choice' },
    });
    expect(enums['demo.v1.Mode']).toEqual({ OFF: 0, ON: 1 });
    expect(services['demo.v1.Demo']?.['Watch']).toEqual({
      request: 'demo.v1.Inner',
      response: 'demo.v1.Outer',
      requestStream: false,
      responseStream: true,
    });
  });

  it('ignores comments, options and declaration order', () => {
    const reordered = `
      syntax = "proto3";
      package demo.v1;
      option go_package = "example.com/demo";
      service Demo {
        rpc Watch(Inner) returns (stream Outer);
        // comment
        rpc Get(Inner) returns (Outer);
      }
      enum Mode { OFF = 0; ON = 1; }
      message Outer {
        oneof choice { int64 number = 5; string text = 4; }
        map<string, Inner> by_name = 3 [deprecated = true];
        repeated uint64 counts = 2;
        Inner inner = 1;
      }
      message Inner { string name = 1; }
    `;
    expect(diffWireListings(listing(BASE), listing(reordered))).toEqual([]);
  });
});

describe('diffWireListings', () => {
  const mutations: Array<[string, string, string[]]> = [
    ['Inner inner = 1;', 'Inner inner = 6;', ['message demo.v1.Outer field inner']],
    ['repeated uint64 counts', 'repeated int64 counts', ['message demo.v1.Outer field counts']],
    ['repeated uint64 counts', 'uint64 counts', ['message demo.v1.Outer field counts']],
    ['map<string, Inner>', 'map<int32, Inner>', ['message demo.v1.Outer field by_name']],
    [
      'string name = 1;',
      'string label = 1;',
      ['message demo.v1.Inner field label', 'message demo.v1.Inner field name'],
    ],
    ['ON = 1;', 'ON = 2;', ['enum demo.v1.Mode value ON']],
    ['returns (stream Outer)', 'returns (Outer)', ['service demo.v1.Demo method Watch']],
  ];

  it.each(mutations)('names what changed when %s becomes %s', (from, to, subjects) => {
    const diff = diffWireListings(listing(BASE), listing(BASE.replace(from, to)));
    expect(diff.map((line) => line.slice(0, line.indexOf(': ')))).toEqual(subjects);
  });

  it('reports whole definitions added and removed', () => {
    const diff = diffWireListings(
      listing(BASE),
      listing(BASE.replace('enum Mode { OFF = 0; ON = 1; }', 'message Extra {}')),
    );
    expect(diff).toEqual(['message demo.v1.Extra: added', 'enum demo.v1.Mode: removed']);
  });

  it('shows the old and new field description', () => {
    const diff = diffWireListings(listing(BASE), listing(BASE.replace('= 4;', '= 7;')));
    expect(diff).toEqual([
      'message demo.v1.Outer field text: {"number":4,"label":"singular","type":"string","oneof":"choice"} -> {"number":7,"label":"singular","type":"string","oneof":"choice"}',
    ]);
  });
});

describe('filterListing', () => {
  it('keeps only the named definitions', () => {
    const kept = filterListing(listing(BASE), (name) => name.endsWith('Inner'));
    expect(Object.keys(kept.messages)).toEqual(['demo.v1.Inner']);
    expect(kept.enums).toEqual({});
    expect(kept.services).toEqual({});
  });
});
