import { invalidArgument } from './errdefs';

// containerd's filter language (pkg filters): a request carries a list of filter strings
// that are ORed; each string is a comma-separated list of selectors that are ANDed; a
// selector is `fieldpath`, `fieldpath==value`, `fieldpath!=value` or `fieldpath~=regexp`.
// Field path elements are separated by dots and may be quoted ("a.b", /a.b/ or |a.b|).

/** Resolves a field path against one object; undefined when the field is absent. */
export type Adaptor = (fieldpath: string[]) => string | undefined;

type Operator = '==' | '!=' | '~=' | 'present';

interface Selector {
  fieldpath: string[];
  operator: Operator;
  value: string;
  regexp?: RegExp;
}

export type Filter = (adapt: Adaptor) => boolean;

/** Upstream's quote pairs: "…", /…/ and |…| (the latter two spare regexp escaping). */
const isQuote = (c: string): boolean => c === '"' || c === '/' || c === '|';

class Scanner {
  pos = 0;
  constructor(readonly input: string) {}

  fail(what: string): never {
    throw invalidArgument(
      `filters: parse error: [${this.input} >|${this.input.slice(this.pos)}|<]: ${what}`,
    );
  }

  peek(): string {
    return this.input[this.pos] ?? '';
  }

  skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  quoted(): string {
    const quote = this.input[this.pos++] as string;
    let out = '';
    while (this.pos < this.input.length) {
      const c = this.input[this.pos++] as string;
      if (c === quote) return out;
      if (c === '\\' && this.pos < this.input.length) {
        const n = this.input[this.pos++] as string;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else out += c;
    }
    return this.fail('unterminated quoted string');
  }

  field(): string {
    if (isQuote(this.peek())) return this.quoted();
    const m = /^[A-Za-z0-9_]+/.exec(this.input.slice(this.pos));
    if (!m) return this.fail('expected field or quoted');
    this.pos += m[0].length;
    return m[0];
  }

  value(): string {
    if (isQuote(this.peek())) return this.quoted();
    const start = this.pos;
    while (this.pos < this.input.length && this.peek() !== ',') this.pos++;
    const v = this.input.slice(start, this.pos).trim();
    if (v === '') this.fail('expected value or quoted');
    return v;
  }
}

function parseSelector(s: Scanner): Selector {
  s.skipSpace();
  const fieldpath = [s.field()];
  while (s.peek() === '.') {
    s.pos++;
    fieldpath.push(s.field());
  }
  s.skipSpace();
  const op = s.input.slice(s.pos, s.pos + 2);
  if (op !== '==' && op !== '!=' && op !== '~=') {
    return { fieldpath, operator: 'present', value: '' };
  }
  s.pos += 2;
  s.skipSpace();
  const value = s.value();
  s.skipSpace();
  if (op !== '~=') return { fieldpath, operator: op, value };
  try {
    return { fieldpath, operator: op, value, regexp: new RegExp(value) };
  } catch {
    return s.fail(`invalid regexp ${JSON.stringify(value)}`);
  }
}

function matches(sel: Selector, adapt: Adaptor): boolean {
  const v = adapt(sel.fieldpath);
  switch (sel.operator) {
    case 'present':
      return v !== undefined;
    case '==':
      return v === sel.value;
    case '!=':
      return v !== sel.value;
    case '~=':
      return v !== undefined && (sel.regexp as RegExp).test(v);
  }
}

export function parseFilter(input: string): Filter {
  const s = new Scanner(input);
  const selectors: Selector[] = [];
  for (;;) {
    selectors.push(parseSelector(s));
    s.skipSpace();
    if (s.pos >= input.length) break;
    if (s.peek() !== ',') s.fail('expected a comma or end');
    s.pos++;
  }
  return (adapt) => selectors.every((sel) => matches(sel, adapt));
}

/** ORs a request's filter strings; no filters match everything. */
export function parseFilters(inputs: readonly string[]): Filter {
  const filters = inputs.filter((f) => f.trim() !== '').map(parseFilter);
  if (filters.length === 0) return () => true;
  return (adapt) => filters.some((f) => f(adapt));
}

/** `labels.<key>` lookups, where the key may span several dotted path elements. */
export function labelsField(labels: Record<string, string>, rest: string[]): string | undefined {
  if (rest.length === 0) return undefined;
  return labels[rest.join('.')];
}
