import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The ignore file `validate` and `render` read, with .gitignore's syntax. */
export const IGNORE_FILE = '.sopflowignore';

/** Patterns and the folder they are relative to. */
export interface IgnoreSource {
  /** absolute folder the patterns are relative to */
  base: string;
  /** lines in .gitignore syntax */
  patterns: string[];
  /** where they come from, for messages: `.sopflowignore`, `sops/.sopflowignore`, `--ignore` */
  origin: string;
}

/** The ignore options of a command: `--ignore <pattern>` (repeatable) and `--no-ignore`. */
export interface IgnoreOptions {
  /** `--ignore` patterns, relative to the working folder */
  patterns?: readonly string[];
  /** false with `--no-ignore`: the .sopflowignore files are not read */
  useIgnoreFiles?: boolean;
}

/** Reads `<folder>/.sopflowignore`; undefined when there is none (or it cannot be read). */
export async function readIgnoreFile(file: string, cwd: string): Promise<IgnoreSource | undefined> {
  // synchronously, as the SOP files are read: the CLI has nothing else to do meanwhile, and
  // loading node:fs/promises cost a one-file `validate` ~2 ms of its start
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const rel = path.relative(cwd, file).split(path.sep).join('/');
  return { base: path.dirname(file), patterns: text.replace(/^\ufeff/, '').split(/\r?\n/), origin: rel.startsWith('..') ? file : rel };
}

type Matcher = { test(pathname: string): { ignored: boolean; unignored: boolean } };

/**
 * Decides which files are ignored, as git does with nested .gitignore files: the sources apply
 * from the shallowest folder to the deepest (a deeper file's `!pattern` can take a file back),
 * and the `--ignore` patterns last. Each source only sees the files inside its folder, by their
 * path relative to it, case-sensitively as git on Linux. The `ignore` package (the one eslint uses)
 * implements .gitignore's syntax.
 */
export class IgnoreRules {
  private constructor(private readonly sources: { source: IgnoreSource; matcher: Matcher }[]) {}

  static async create(sources: readonly IgnoreSource[]): Promise<IgnoreRules> {
    const { default: ignore } = await import('ignore');
    const ordered = [...sources].sort((a, b) => rank(a) - rank(b));
    return new IgnoreRules(ordered.map((source) => ({ source, matcher: ignore({ ignoreCase: false }).add(source.patterns) })));
  }

  get size(): number {
    return this.sources.length;
  }

  /** The origin of the rule that ignores `file` (absolute), or undefined when it is not ignored. */
  ignoredBy(file: string): string | undefined {
    let by: string | undefined;
    for (const { source, matcher } of this.sources) {
      const rel = path.relative(source.base, file);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const result = matcher.test(rel.split(path.sep).join('/'));
      if (result.ignored) by = source.origin;
      else if (result.unignored) by = undefined;
    }
    return by;
  }
}

/** Shallow folders first; `--ignore` (command line) after every file. */
function rank(source: IgnoreSource): number {
  return source.origin === '--ignore' ? Number.MAX_SAFE_INTEGER : source.base.split(path.sep).length;
}
