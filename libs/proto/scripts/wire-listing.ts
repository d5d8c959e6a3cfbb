// A normalized, stable description of everything that decides the protobuf wire format
// (and the gRPC method paths): messages with their fields, enums with their values,
// services with their methods. Comments, options and declaration order are left out, so
// two listings are equal exactly when the definitions agree on the wire and on field names
// (which the JSON mapping and the generated types use).
import protobuf from 'protobufjs';

export interface FieldListing {
  number: number;
  label: 'singular' | 'repeated' | 'map';
  /** Scalar name, or the full name of a message or enum; the value type of a map. */
  type: string;
  keyType?: string;
  packed?: true;
  oneof?: string;
}

export interface MethodListing {
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
}

export interface WireListing {
  messages: Record<string, Record<string, FieldListing>>;
  enums: Record<string, Record<string, number>>;
  services: Record<string, Record<string, MethodListing>>;
}

/** Describes every message, enum and service under root, sorted by full name. */
export function describeWireFormat(root: protobuf.Root): WireListing {
  const listing: WireListing = { messages: {}, enums: {}, services: {} };
  for (const object of reflectionObjects(root)) {
    const name = fullName(object);
    if (object instanceof protobuf.Type) listing.messages[name] = describeFields(object);
    else if (object instanceof protobuf.Enum) listing.enums[name] = describeValues(object);
    else if (object instanceof protobuf.Service) listing.services[name] = describeMethods(object);
  }
  return {
    messages: sortKeys(listing.messages),
    enums: sortKeys(listing.enums),
    services: sortKeys(listing.services),
  };
}

/** Keeps only the definitions whose full name satisfies keep. */
export function filterListing(listing: WireListing, keep: (name: string) => boolean): WireListing {
  const pick = <T>(entries: Record<string, T>) =>
    Object.fromEntries(Object.entries(entries).filter(([name]) => keep(name)));
  return {
    messages: pick(listing.messages),
    enums: pick(listing.enums),
    services: pick(listing.services),
  };
}

/**
 * One line per difference, naming the definition and the field, value or method, e.g.
 * `message containerd.types.Mount field options: {"number":4,…} -> {"number":5,…}`.
 */
export function diffWireListings(expected: WireListing, actual: WireListing): string[] {
  return [
    ...diffDefinitions('message', 'field', expected.messages, actual.messages),
    ...diffDefinitions('enum', 'value', expected.enums, actual.enums),
    ...diffDefinitions('service', 'method', expected.services, actual.services),
  ];
}

function diffDefinitions<Member>(
  noun: string,
  memberNoun: string,
  expected: Record<string, Record<string, Member>>,
  actual: Record<string, Record<string, Member>>,
): string[] {
  return diffRecords(expected, actual, (name, before, after) => {
    if (before === undefined) return [`${noun} ${name}: added`];
    if (after === undefined) return [`${noun} ${name}: removed`];
    return diffRecords(before, after, (member, was, now) => [
      `${noun} ${name} ${memberNoun} ${member}: ${show(was)} -> ${show(now)}`,
    ]);
  });
}

function diffRecords<T>(
  expected: Record<string, T>,
  actual: Record<string, T>,
  describe: (key: string, before: T | undefined, after: T | undefined) => string[],
): string[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return keys.flatMap((key) => {
    const before = expected[key];
    const after = actual[key];
    return JSON.stringify(before) === JSON.stringify(after) ? [] : describe(key, before, after);
  });
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function* reflectionObjects(
  namespace: protobuf.NamespaceBase,
): Generator<protobuf.ReflectionObject> {
  for (const object of namespace.nestedArray) {
    yield object;
    if (object instanceof protobuf.Namespace || object instanceof protobuf.Type) {
      yield* reflectionObjects(object);
    }
  }
}

function describeFields(type: protobuf.Type): Record<string, FieldListing> {
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  return Object.fromEntries(fields.map((field) => [field.name, describeField(field)]));
}

function describeField(field: protobuf.Field): FieldListing {
  const listing: FieldListing = {
    number: field.id,
    label: field instanceof protobuf.MapField ? 'map' : field.repeated ? 'repeated' : 'singular',
    type: field.resolvedType ? fullName(field.resolvedType) : field.type,
  };
  if (field instanceof protobuf.MapField) listing.keyType = field.keyType;
  if (field.repeated && field.packed && isPackable(field)) listing.packed = true;
  if (field.partOf) listing.oneof = field.partOf.name;
  return listing;
}

function describeValues(enumeration: protobuf.Enum): Record<string, number> {
  return Object.fromEntries(Object.entries(enumeration.values).sort(([, a], [, b]) => a - b));
}

/** Only numeric scalars and enums can be packed; protobufjs reports packed for any repeated field. */
function isPackable(field: protobuf.Field): boolean {
  return field.resolvedType instanceof protobuf.Enum || field.type in protobuf.types.packed;
}

function describeMethods(service: protobuf.Service): Record<string, MethodListing> {
  return sortKeys(
    Object.fromEntries(
      service.methodsArray.map((method) => [
        method.name,
        {
          request: fullName(method.resolvedRequestType ?? method.requestType),
          response: fullName(method.resolvedResponseType ?? method.responseType),
          requestStream: Boolean(method.requestStream),
          responseStream: Boolean(method.responseStream),
        },
      ]),
    ),
  );
}

/** Full name without protobufjs's leading dot. */
export function fullName(object: protobuf.ReflectionObject | string): string {
  const name = typeof object === 'string' ? object : object.fullName;
  return name.replace(/^\./, '');
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
