/** What a cheap look at an SOP's text (no YAML parse) says about its links to other SOPs. */
export interface Links {
  /** values of top-level `id:` lines */
  ids: string[];
  /** values of every `use:` key anywhere */
  uses: string[];
  /** the top-level `title:`, for completion details */
  title?: string;
  /**
   * true when `ids` is certainly the id the YAML declares (or certainly none): one plain
   * `id: value` line at the top level and nothing at the top level that could declare an id
   * another way (quoted or complex keys, flow roots, merge keys, directives, escapes). A file
   * that is not certain is taken into every check, so the result never depends on this scan.
   */
  certain: boolean;
}

const ID_LINE = /^id[ \t]*:/gm;
const SIMPLE_ID = /^id[ \t]*:[ \t]+["']?([A-Za-z0-9][A-Za-z0-9_.-]*)["']?[ \t]*(?:#.*)?\r?$/gm;
const USE = /["']?\buse["']?[ \t]*:[ \t]*["']?([^\s"'#,}\]]+)/g;
const TITLE = /^title[ \t]*:(.*)$/m;
/** lines that could declare a top-level key other than as plain `key:` at column 0 */
const COMPLEX_ROOT = /^(?:["'?{[!&*<]|%YAML)|<<|\\/m;

/**
 * The ids an SOP declares and the SOPs it uses, from its text alone: which other files a check
 * of this one must include. It may find more links than there are (the check then reads a few
 * more files); when it cannot be sure of the id, `certain` is false. (The same scan as the
 * CLI's parallel validator, `prescanSop`.)
 */
export function scanLinks(text: string): Links {
  const ids = [...text.matchAll(SIMPLE_ID)].map((m) => m[1]!);
  const idLines = text.match(ID_LINE)?.length ?? 0;
  const uses = [...text.matchAll(USE)].map((m) => m[1]!);
  const noIdAtAll = idLines === 0 && !/id/i.test(text) && !text.includes('\\');
  const certain = noIdAtAll || (idLines === 1 && ids.length === 1 && !COMPLEX_ROOT.test(text));
  const title = TITLE.exec(text)?.[1]
    ?.trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  return { ids: [...new Set(ids)], uses: [...new Set(uses)], certain, ...(title ? { title: title.slice(0, 200) } : {}) };
}
