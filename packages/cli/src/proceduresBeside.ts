import { readdirSync } from 'node:fs';
import path from 'node:path';
import { normalizedPath } from './normalizedPath.js';
import { declaredIds, prescanLinks, usedIds } from './prescanSop.js';

/** An SOP file by absolute path, with its text. */
export interface SourceFile {
  file: string;
  text: string;
}

const SOP_NAME = /\.sop\.ya?ml$/i;
/** A folder with more SOP files than this is searched by file name only (`<id>.sop.yaml`). */
const MAX_SCANNED = 2000;

/**
 * The SOPs that `use:` steps of the given files run and that are not among them, found where
 * `render`, `paths` and `run` find them: beside the file that uses them (a file named
 * `<id>.sop.yaml` first, else any `*.sop.yaml` of that folder declaring the id), and so on for
 * what those run in turn. They are context: validated with the files given so `use:` resolves,
 * not reported themselves. `read` returns a file's text, or undefined when it cannot be read.
 */
export function proceduresBeside(given: readonly SourceFile[], read: (file: string) => string | undefined): SourceFile[] {
  const declared = new DeclaredIds(given);
  const taken = new Set<string>();
  const queue: { file: string; uses: string[] }[] = [];
  for (const g of given) {
    taken.add(normalizedPath(g.file));
    queue.push({ file: g.file, uses: usedIds(g.text) });
  }
  const folders = new Map<string, Folder>();
  const out: SourceFile[] = [];
  for (let q = 0; q < queue.length; q++) {
    const { file, uses } = queue[q]!;
    for (const id of uses) {
      if (declared.has(id)) continue;
      const folder = path.dirname(file);
      let index = folders.get(folder);
      if (!index) folders.set(folder, (index = new Folder(folder, read)));
      for (const found of index.declaring(id)) {
        if (taken.has(found.file)) continue;
        taken.add(found.file);
        out.push({ file: found.file, text: found.text });
        for (const other of found.ids) declared.add(other);
        queue.push({ file: found.file, uses: found.uses });
      }
    }
  }
  return out;
}

/**
 * Whether an id is declared by one of the given files (or added since), scanning as little text
 * as it can: a used id is first looked for in the given files named after it (`<id>.sop.yaml`,
 * the usual layout), and only an id not found there makes every given file's `id:` lines be
 * read, once. The answer is the same either way; over 1,000 files each named after its id the
 * full scan was ~10 ms of a ~700 ms `validate`.
 */
class DeclaredIds {
  /** ids added, and ids found in the file named after them */
  private readonly added = new Set<string>();
  private all: Set<string> | undefined;
  private byStem: Map<string, number[]> | undefined;

  constructor(private readonly given: readonly SourceFile[]) {}

  add(id: string): void {
    this.added.add(id);
  }

  has(id: string): boolean {
    if (this.added.has(id)) return true;
    if (this.all) return this.all.has(id);
    if (!this.byStem) {
      this.byStem = new Map();
      this.given.forEach((g, i) => {
        const stem = path.basename(g.file).replace(SOP_NAME, '');
        const list = this.byStem!.get(stem);
        if (list) list.push(i);
        else this.byStem!.set(stem, [i]);
      });
    }
    for (const i of this.byStem.get(id) ?? []) {
      if (declaredIds(this.given[i]!.text).ids.includes(id)) {
        this.added.add(id); // many files may use it: the file named after it is read once
        return true;
      }
    }
    this.all = new Set(this.given.flatMap((g) => declaredIds(g.text).ids));
    return this.all.has(id);
  }
}

interface Scanned {
  file: string;
  text: string;
  ids: string[];
  uses: string[];
}

/** The SOP files of one folder, read when first asked about. */
class Folder {
  private names: string[] | undefined;
  private readonly scanned = new Map<string, Scanned | null>();

  constructor(
    private readonly dir: string,
    private readonly read: (file: string) => string | undefined,
  ) {}

  declaring(id: string): Scanned[] {
    const names = this.list();
    const byName = names
      .filter((n) => n.replace(SOP_NAME, '') === id)
      .map((n) => this.scan(n))
      .filter((s): s is Scanned => s !== null && s.ids.includes(id));
    if (byName.length > 0 || names.length > MAX_SCANNED) return byName;
    return names.map((n) => this.scan(n)).filter((s): s is Scanned => s !== null && s.ids.includes(id));
  }

  private list(): string[] {
    if (this.names === undefined) {
      try {
        this.names = readdirSync(this.dir)
          .filter((n) => SOP_NAME.test(n))
          .sort();
      } catch {
        this.names = [];
      }
    }
    return this.names;
  }

  private scan(name: string): Scanned | null {
    let found = this.scanned.get(name);
    if (found === undefined) {
      const file = path.join(this.dir, name);
      const text = this.read(file);
      if (text === undefined) found = null;
      else {
        const scan = prescanLinks(text);
        found = { file, text, ids: scan.ids, uses: scan.uses };
      }
      this.scanned.set(name, found);
    }
    return found;
  }
}
