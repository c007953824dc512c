/**
 * The deepest nesting sopflow reads. Real SOPs nest about 8 levels; the yaml parser
 * overflows the stack somewhere past 900, and a second overflow in one process can abort
 * Node (see stack-notes), so anything deeper is refused before parsing.
 */
export const MAX_NESTING = 500;

export interface NestingReport {
  /** the deepest level found (stops counting once past the limit) */
  depth: number;
  /** 0-based offset where the limit was first passed */
  offset?: number;
}

const OPENS_VALUE = new Set([undefined, ':', '-', '?', ',', '[', '{']);

/**
 * A cheap, linear, stack-free estimate of how deeply a YAML text nests: block levels by
 * indentation (plus compact `- - x` sequences) and flow levels by brackets, skipping
 * comments, quoted scalars and block scalars. It may overestimate a little, never by much
 * on real files; it exists so that a hostile file is refused before the parser recurses.
 */
export function scanNesting(text: string, limit = MAX_NESTING): NestingReport {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let quote = '';
  let blockParent = -1;
  let deepest = 0;
  let i = 0;
  while (i < n) {
    // one line: [i, end)
    let end = text.indexOf('\n', i);
    if (end === -1) end = n;
    let p = i;
    if (quote === '' && flow === 0) {
      while (p < end && (text[p] === ' ' || text[p] === '\t')) p++;
      const indent = p - i;
      const blank = p >= end || text[p] === '\r' || text[p] === '#';
      if (blockParent >= 0) {
        if (blank || indent > blockParent) {
          i = end + 1;
          continue;
        }
        blockParent = -1;
      }
      if (blank) {
        i = end + 1;
        continue;
      }
      if (text.startsWith('---', p) || text.startsWith('...', p)) {
        indents.length = 0;
      }
      while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
      // compact nested sequences / explicit keys on one line: `- - - x`
      while (p + 1 < end && (text[p] === '-' || text[p] === '?') && (text[p + 1] === ' ' || text[p + 1] === '\t')) {
        p += 2;
        while (p < end && (text[p] === ' ' || text[p] === '\t')) p++;
        indents.push(p - i);
        if (indents.length > limit) return { depth: indents.length, offset: p };
      }
      if (indents.length > deepest) deepest = indents.length;
      if (indents.length > limit) return { depth: indents.length, offset: p };
    }
    let last: string | undefined; // last significant character on this line
    let lastBlockIndicator = false;
    for (; p < end; p++) {
      const c = text[p]!;
      if (quote !== '') {
        if (quote === '"' && c === '\\') {
          p++;
          continue;
        }
        if (c === quote) {
          if (quote === "'" && text[p + 1] === "'") {
            p++;
            continue;
          }
          quote = '';
          last = 'x';
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (p === i || text[p - 1] === ' ' || text[p - 1] === '\t')) break;
      if ((c === '"' || c === "'") && OPENS_VALUE.has(last)) {
        quote = c;
        continue;
      }
      // a node's tag or anchor (`!t [`, `&a {`): skip it, the node itself comes next
      if ((c === '!' || c === '&') && (flow > 0 || OPENS_VALUE.has(last))) {
        while (p + 1 < end && !/[\s,[\]{}]/.test(text[p + 1]!)) p++;
        continue;
      }
      if ((c === '[' || c === '{') && (flow > 0 || OPENS_VALUE.has(last))) {
        flow++;
        const depth = indents.length + flow;
        if (depth > deepest) deepest = depth;
        if (depth > limit) return { depth, offset: p };
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
      lastBlockIndicator = flow === 0 && (c === '|' || c === '>') && (last === ':' || last === '-' || last === '?');
      if (lastBlockIndicator) {
        // `key: |-2` : skip the indicator's modifiers
        while (p + 1 < end && /[0-9+-]/.test(text[p + 1]!)) p++;
        last = c;
        continue;
      }
      last = c;
    }
    if (lastBlockIndicator && quote === '' && flow === 0) {
      let indent = 0;
      while (i + indent < end && text[i + indent] === ' ') indent++;
      blockParent = indent;
    }
    i = end + 1;
  }
  return { depth: deepest };
}
