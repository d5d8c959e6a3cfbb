// A small interpreter for the JSON-schema keywords configSchema uses. Compiling the schema
// with a general validator costs more than a whole container start, so the runtime walks it.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  required?: readonly string[];
  properties?: Readonly<Record<string, Schema>>;
  additionalProperties?: Schema;
  propertyNames?: Schema;
  items?: Schema;
  minItems?: number;
  enum?: readonly unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

const patterns = new Map<string, RegExp>();

function typeOk(type: Schema['type'], v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return typeof v === type;
  }
}

/** The first violation as "<json pointer> <message>", or undefined when value conforms. */
export function checkSchema(schema: Schema, value: unknown, at = ''): string | undefined {
  if (schema.type && !typeOk(schema.type, value)) return `${at || '/'} must be ${schema.type}`;
  if (schema.enum && !schema.enum.includes(value))
    return `${at || '/'} must be one of ${schema.enum.join(', ')}`;
  if (typeof value === 'string' && schema.pattern) {
    let re = patterns.get(schema.pattern);
    if (!re) patterns.set(schema.pattern, (re = new RegExp(schema.pattern, 'u')));
    if (!re.test(value)) return `${at} must match pattern "${schema.pattern}"`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      return `${at} must be >= ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum)
      return `${at} must be <= ${schema.maximum}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      return `${at} must have at least ${schema.minItems} items`;
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const e = checkSchema(schema.items, value[i], `${at}/${i}`);
        if (e) return e;
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (obj[key] === undefined) return `${at || '/'} must have required property '${key}'`;
    for (const [key, v] of Object.entries(obj)) {
      if (schema.propertyNames) {
        const e = checkSchema(schema.propertyNames, key, `${at}/${key}`);
        if (e) return e;
      }
      const sub = schema.properties?.[key] ?? schema.additionalProperties;
      const e = sub && checkSchema(sub, v, `${at}/${key}`);
      if (e) return e;
    }
  }
  return undefined;
}
