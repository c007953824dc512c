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
const SIMPLE_ID = /^id[ \t]*:[ \t]+["']?([A-Za-z0-9][A-Za-z0-9_.-]*)["']?[ \t]*(?:#.*)?\r?$/gm;
const USE = /["']?\buse["']?[ \t]*:[ \t]*["']?([^\s"'#,}\]]+)/g;
/** lines that could declare a top-level key other than as plain `key:` at column 0 */
const COMPLEX_ROOT = /^(?:["'?{[!&*<]|%YAML)|<<|\\/m;

/**
 * Finds the ids an SOP declares and the SOPs it uses, from its text alone, so files can be
 * split into groups that never refer to each other and validated in parallel. It may find more
 * links than there are (that only makes groups larger); when it cannot be sure of the id,
 * `certain` is false.
 */
export function prescanSop(text: string): Prescan {
  const ids = [...text.matchAll(SIMPLE_ID)].map((m) => m[1]!);
  const idLines = text.match(ID_LINE)?.length ?? 0;
  const uses = [...text.matchAll(USE)].map((m) => m[1]!);
  const noIdAtAll = idLines === 0 && !/id/i.test(text) && !text.includes('\\');
  const certain = noIdAtAll || (idLines === 1 && ids.length === 1 && !COMPLEX_ROOT.test(text));
  return { ids: [...new Set(ids)], uses: [...new Set(uses)], certain };
}
