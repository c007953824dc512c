/** What a cheap look at an SOP's text (no YAML parse) says about its links to other SOPs. */
export interface Prescan {
  /** values of top-level `id:` lines */
  ids: string[];
  /** values of every `use:` key anywhere */
  uses: string[];
  /**
   * true when `ids` is certainly the id the YAML declares (or certainly no id): one plain
   * `id: value` line at the top level, and nothing at the top level (quoted or complex keys,
   * flow roots, merge keys, YAML directives, escapes) that could declare an id another way.
   */
  certain: boolean;
}

const ID_LINE = /^id[ \t]*:/gm;
/** what follows `id:` on a line that declares a plain id (sticky: tried where an `id:` line starts) */
const SIMPLE_ID = /id[ \t]*:[ \t]+["']?([A-Za-z0-9][A-Za-z0-9_.-]*)["']?[ \t]*(?:#.*)?\r?$/my;
const USE = /["']?\buse["']?[ \t]*:[ \t]*["']?([^\s"'#,}\]]+)/g;
/** lines that could declare a top-level key other than as plain `key:` at column 0 */
const COMPLEX_ROOT = /^(?:["'?{[!&*<]|%YAML)|<<|\\/m;

/** The links of an SOP to others, from its text alone: the ids it declares, the SOPs it uses. */
export interface Links {
  ids: string[];
  uses: string[];
  /** how many top-level `id:` lines there are, plain or not */
  idLines: number;
}

/**
 * The ids an SOP declares and the SOPs it uses, from its text alone (no YAML parse): what
 * `validate` needs to find the procedures beside the files it was given. Each pattern looks only
 * where it can match: `use:` only in a text that holds `use`, the plain-id form only at the
 * start of an `id:` line.
 */
export function prescanLinks(text: string): Links {
  return { ...declaredIds(text), uses: usedIds(text) };
}

/** The plain ids of an SOP's top-level `id:` lines, and how many such lines there are (plain or not). */
export function declaredIds(text: string): { ids: string[]; idLines: number } {
  const ids: string[] = [];
  let idLines = 0;
  for (const line of text.matchAll(ID_LINE)) {
    idLines++;
    SIMPLE_ID.lastIndex = line.index;
    const id = SIMPLE_ID.exec(text)?.[1];
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return { ids, idLines };
}

/** The values of every `use:` key of an SOP (looked for only in a text that holds `use`). */
export function usedIds(text: string): string[] {
  return text.includes('use') ? [...new Set(Array.from(text.matchAll(USE), (m) => m[1]!))] : [];
}

/**
 * Finds the ids an SOP declares and the SOPs it uses, from its text alone, so files can be
 * split into groups that never refer to each other and validated in parallel. It may find more
 * links than there are (that only makes groups larger); when it cannot be sure of the id,
 * `certain` is false.
 */
export function prescanSop(text: string): Prescan {
  const { ids, uses, idLines } = prescanLinks(text);
  const noIdAtAll = idLines === 0 && !/id/i.test(text) && !text.includes('\\');
  const certain = noIdAtAll || (idLines === 1 && ids.length === 1 && !COMPLEX_ROOT.test(text));
  return { ids, uses, certain };
}
