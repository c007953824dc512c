import { FAILSAFE_SCHEMA, Type, load, type LoadOptions } from 'js-yaml';

/**
 * The fast path's reader: js-yaml (plain objects, no positions, several times faster than
 * yaml 2) on texts in a deliberately small, plain subset of YAML, with scalars resolved
 * exactly as yaml 2's YAML 1.2 core schema does. Anything outside the subset, or anything
 * js-yaml refuses, returns `undefined` and the caller reads the file with yaml 2 as always.
 * `test/fastPath.test.ts` holds it to yaml 2's results, file by file and by property.
 */

// yaml 2.9's core schema tags (yaml/dist/schema/core, common/null), in yaml 2's order
const yamlCore = [
  new Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string | null) => s === null || /^(?:~|[Nn]ull|NULL)?$/.test(s),
    construct: () => null,
  }),
  new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new Type('tag:yaml.org,2002:int#oct', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^0o[0-7]+$/.test(s),
    construct: (s: string) => parseInt(s.substring(2), 8),
  }),
  new Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^[-+]?[0-9]+$/.test(s),
    construct: (s: string) => parseInt(s, 10),
  }),
  new Type('tag:yaml.org,2002:int#hex', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^0x[0-9a-fA-F]+$/.test(s),
    construct: (s: string) => parseInt(s.substring(2), 16),
  }),
  new Type('tag:yaml.org,2002:float#nan', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s),
    construct: (s: string) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
  }),
  new Type('tag:yaml.org,2002:float#exp', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s),
    construct: (s: string) => parseFloat(s),
  }),
  new Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s),
    construct: (s: string) => parseFloat(s),
  }),
];
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: yamlCore });

/**
 * Texts with any of these go to yaml 2 (anchors, aliases and tags in a node position,
 * directives, document markers, merge keys, explicit `?` keys, a collection used as a key,
 * tabs, `__proto__`, control characters).
 */
const NOT_PLAIN = /(?:^|[\s[{,:])(?:!|[&*][^\s])|^%|^(?:---|\.\.\.)(?:\s|$)|<<|(?:^|[\s[{,])\?(?:\s|$)|[\]}][ \t]*:|\t|\r(?!\n)|__proto__|[\0-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]/m;

// one line's shape: indentation, `- ` item marks, then nothing, a comment, or `key:` and a value
const LINE = /^( *)((?:- +)*)(-$)?(.*)$/;
const KEY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},:&*!|>%@`?-](?:[^:#]|:(?=\S)|(?<=\S)#)*?) *:(?: +(.*))?$/;
const QUOTED = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')(?: +#.*)? *$/;
const BLOCK = /^[|>][+-]?(?: +#.*)? *$/;
const PLAIN_VALUE = /^[^\s#'"[\]{},&*!|>%@`?:-]|^[-?:](?=\S)/;

/** A single-line flow collection: brackets that close on the line, quotes that close, no `#`. */
function flowOnOneLine(value: string): boolean {
  const stack: string[] = [];
  let prev = '';
  let i = 0;
  for (; i < value.length; i++) {
    const c = value[i]!;
    if (c === ' ') continue;
    if ((c === '"' || c === "'") && (prev === '[' || prev === '{' || prev === ',' || prev === ':')) {
      const m = (c === '"' ? /^"(?:[^"\\]|\\.)*"/ : /^'(?:[^']|'')*'/).exec(value.slice(i));
      if (!m) return false;
      i += m[0].length - 1;
      prev = 'x';
      continue;
    }
    if (c === '[' || c === '{') stack.push(c);
    else if (c === ']' || c === '}') {
      if (stack.pop() !== (c === ']' ? '[' : '{')) return false;
      if (stack.length === 0) break;
    } else if (c === '#' || c === '?' || c === '"') return false;
    else if (c === ':' && (stack[stack.length - 1] !== '{' || value[i + 1] !== ' ')) return false;
    prev = c;
  }
  if (stack.length !== 0) return false;
  if (!/^(?: +#.*)? *$/.test(value.slice(i + 1))) return false;
  // no empty entries (`[a, , b]`, `[a,]`), except a whole empty `[]` or `{}`
  const flow = value.slice(0, i + 1);
  return flow === '[]' || flow === '{}' || !/[[{,] *[,\]}]/.test(flow);
}

/**
 * True when every line of the text is one of: blank, a comment, `- ` items, `key:` with
 * nothing, a one-line value (plain, quoted or flow), or a `|`/`>` block scalar (its lines
 * skipped). Multi-line plain or quoted scalars and multi-line flow collections are not plain.
 */
export function isPlainYaml(text: string): boolean {
  if (NOT_PLAIN.test(text)) return false;
  const lines = text.split('\n');
  let maxIndent = Infinity; // after a one-line value, the next line may not be deeper than its key
  let block = -1; // inside a block scalar: lines deeper than this belong to it
  let blockIndent = -1;
  for (let raw of lines) {
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) return false;
    if (/^ +$/.test(raw)) return false; // spaces-only lines (block scalar indentation rules)
    const indent = raw.length - raw.trimStart().length;
    if (block >= 0) {
      if (raw === '') continue;
      if (indent > block) {
        if (blockIndent < 0) blockIndent = indent;
        else if (indent < blockIndent) return false;
        continue;
      }
      block = -1;
      blockIndent = -1;
    }
    if (raw === '' || raw.trimStart().startsWith('#')) continue;
    if (indent > maxIndent) return false;
    const m = LINE.exec(raw)!;
    const dashes = m[2]!;
    const rest = m[4]!;
    const keyCol = indent + dashes.length;
    const dashCol = indent + dashes.trimEnd().length - 1; // the last `-` (a bare item's parent column)
    maxIndent = Infinity;
    // an empty item (`-` alone, `- ` then nothing): js-yaml and yaml 2 nest what follows differently
    if (m[3] !== undefined || rest === '') return false;
    if (rest.startsWith('#')) return false; // `- # note`: an empty item with a comment
    const key = KEY.exec(rest);
    // a bare item `- value` is a value; anything else must be `key: value`
    const value = key ? key[1] ?? '' : dashes !== '' ? rest : undefined;
    if (value === undefined) return false;
    if (value === '' || value.startsWith('#')) continue; // `key:` (the value follows on the next lines)
    if (BLOCK.test(value)) { block = key ? keyCol : dashCol; continue; }
    if (value.startsWith('"') || value.startsWith("'")) { if (!QUOTED.test(value)) return false; }
    else if (value.startsWith('[') || value.startsWith('{')) { if (!flowOnOneLine(value)) return false; }
    else if (!PLAIN_VALUE.test(value) || /:(?:\s|$)/.test(value)) return false;
    maxIndent = key ? keyCol : dashCol;
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** No key yaml 2 would turn into something else (`null` -> `''`), no complex or huge key. */
function keysAgree(value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (Array.isArray(value)) return value.every((v) => keysAgree(v, depth + 1));
  if (!isObject(value)) return true;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (key === 'null' || key === '[object Object]' || key.length > 150 || key.includes(',')) return false;
    if (!keysAgree(value[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The data of a plain YAML text, exactly as yaml 2's `toJS` gives it, or `undefined` when
 * the text is not plain, js-yaml refuses it (syntax, duplicate keys, too deep), or the
 * result is not a mapping.
 */
export function fastParse(text: string): Record<string, unknown> | undefined {
  if (!isPlainYaml(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: SCHEMA, json: false, maxDepth: 64 } as LoadOptions);
  } catch {
    return undefined;
  }
  if (!isObject(data) || Array.isArray(data) || !keysAgree(data)) return undefined;
  return data;
}
