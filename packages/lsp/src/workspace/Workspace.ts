import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scanLinks, type Links } from './scanLinks.js';

/** One SOP file the workspace knows: on disk, open in the editor, or both (the editor's text wins). */
export interface WorkspaceFile {
  uri: string;
  /** the file's path, for files with a `file:` URI */
  fsPath: string | undefined;
  /** the name diagnostics carry: relative to its workspace folder, as `sopflow validate <folder>` run there shows it */
  display: string;
  text: string;
  /** the editor's version while the file is open */
  version: number | undefined;
  links: Links;
  /** what was read from disk (size and time), to notice a change without a watcher */
  stamp?: string;
}

/** File names that are SOPs (the CLI's `**\/*.sop.{yaml,yml}`). */
export const SOP_FILE = /\.sop\.ya?ml$/i;

/** Folders never searched (the CLI skips node_modules and dot-folders too). */
const SKIP_DIR = (name: string) => name === 'node_modules' || name.startsWith('.');

/** At most this many SOP files are read from the workspace folders; bigger trees are cut (logged). */
export const MAX_WORKSPACE_FILES = 20_000;
/** Files on disk larger than this are not read (an editor can still open and check one). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** How often a closed file is looked at on disk before a check that reads it. */
const STAT_EVERY_MS = 2000;

/** A URI in one spelling, so the same file is one entry however a client encodes it. */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Reads a regular file without blocking on a FIFO or device; undefined when it cannot. */
function readRegular(file: string): { text: string; stamp: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    return { text: utf8.decode(readFileSync(fd)), stamp: `${info.size}:${info.mtimeMs}` };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* closed */
      }
    }
  }
}

function stampOf(file: string): string | undefined {
  try {
    const info = statSync(file);
    return info.isFile() ? `${info.size}:${info.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SOP files of the workspace folders (read from disk) and the documents open in the editor
 * (their text wins over the disk's). Knows which files a check of one file must read: the file,
 * the procedures it runs (at any depth), every file declaring one of those ids, and every file
 * whose id the cheap scan cannot be sure of.
 */
export class Workspace {
  private folders: string[] = [];
  private readonly files = new Map<string, WorkspaceFile>();
  /** id -> uris of the files that may declare it */
  private byId = new Map<string, Set<string>>();
  private indexed = false;
  /** when each closed file was last looked at on disk (refreshStale) */
  private readonly looked = new Map<string, number>();
  /** what was cut or could not be read while scanning, for the log */
  readonly notes: string[] = [];

  constructor(folders: readonly string[] = []) {
    this.setFolders(folders);
  }

  /** Workspace folder paths (not URIs). */
  setFolders(folders: readonly string[]): void {
    this.folders = [...new Set(folders.map((f) => path.resolve(f)))];
  }

  getFolders(): readonly string[] {
    return this.folders;
  }

  /** Reads every SOP file of the folders from disk (open documents keep their text). */
  scan(): number {
    const seen = new Set<string>();
    let count = 0;
    for (const folder of this.folders) {
      const stack = [folder];
      while (stack.length > 0 && count < MAX_WORKSPACE_FILES) {
        const dir = stack.pop()!;
        let entries;
        try {
          entries = readdirSync(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            if (!SKIP_DIR(entry.name)) stack.push(full);
          } else if ((entry.isFile() || entry.isSymbolicLink()) && SOP_FILE.test(entry.name)) {
            const uri = pathToFileURL(full).href;
            seen.add(uri);
            if (this.files.get(uri)?.version !== undefined) {
              count++;
              continue;
            }
            const read = readRegular(full);
            if (!read) continue;
            this.put({
              uri,
              fsPath: full,
              display: this.displayOf(full, uri),
              text: read.text,
              version: undefined,
              links: scanLinks(read.text),
              stamp: read.stamp,
            });
            if (++count >= MAX_WORKSPACE_FILES) {
              this.notes.push(`more than ${MAX_WORKSPACE_FILES} SOP files in the workspace: the rest are not read`);
              break;
            }
          }
        }
      }
    }
    // files that went away
    for (const [uri, file] of this.files) {
      if (file.version === undefined && !seen.has(uri)) this.delete(uri);
    }
    this.indexed = true;
    return count;
  }

  isScanned(): boolean {
    return this.indexed;
  }

  /** The name a file's diagnostics carry. */
  displayOf(fsPath: string | undefined, uri: string): string {
    if (fsPath === undefined) return uri;
    const owners = this.folders.filter((folder) => {
      const rel = path.relative(folder, fsPath);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
    // the innermost folder owns the file
    const folder = owners.sort((a, b) => b.length - a.length)[0];
    if (folder === undefined) return fsPath;
    const rel = path.relative(folder, fsPath).split(path.sep).join('/');
    return this.folders.length > 1 ? `${path.basename(folder)}/${rel}` : rel;
  }

  get(uri: string): WorkspaceFile | undefined {
    return this.files.get(canonicalUri(uri));
  }

  all(): IterableIterator<WorkspaceFile> {
    return this.files.values();
  }

  /** A document opened or edited in the editor. Returns the file and the ids it declared before. */
  setOpen(uri: string, text: string, version: number): { file: WorkspaceFile; before: string[] } {
    const key = canonicalUri(uri);
    const old = this.files.get(key);
    const fsPath = uriToPath(key);
    const file: WorkspaceFile = {
      uri: key,
      fsPath,
      display: old?.display ?? this.displayOf(fsPath, key),
      text,
      version,
      links: old?.text === text ? old.links : scanLinks(text),
    };
    this.put(file);
    return { file, before: old?.links.ids ?? [] };
  }

  /** A document closed: the disk's text counts again (if it is an SOP file in a folder), or the file is forgotten. */
  close(uri: string): void {
    const key = canonicalUri(uri);
    const file = this.files.get(key);
    if (!file) return;
    const fsPath = file.fsPath;
    const inFolder = fsPath !== undefined && SOP_FILE.test(fsPath) && this.displayOf(fsPath, key) !== fsPath;
    const read = inFolder ? readRegular(fsPath) : undefined;
    if (read) this.put({ ...file, text: read.text, version: undefined, links: scanLinks(read.text), stamp: read.stamp });
    else this.delete(key);
  }

  /** A file changed, appeared or went away on disk (a watcher's event). Returns true when what counts changed. */
  refreshFromDisk(uri: string): boolean {
    const key = canonicalUri(uri);
    const current = this.files.get(key);
    if (current?.version !== undefined) return false; // the editor's text wins
    const fsPath = uriToPath(key);
    if (fsPath === undefined || !SOP_FILE.test(fsPath) || this.displayOf(fsPath, key) === fsPath) return false;
    const read = readRegular(fsPath);
    if (!read) {
      if (!current) return false;
      this.delete(key);
      return true;
    }
    if (current?.text === read.text) {
      current.stamp = read.stamp;
      return false;
    }
    this.put({
      uri: key,
      fsPath,
      display: this.displayOf(fsPath, key),
      text: read.text,
      version: undefined,
      links: scanLinks(read.text),
      stamp: read.stamp,
    });
    return true;
  }

  /**
   * Re-reads the closed files among `uris` whose size or time changed on disk (no watcher
   * needed). Each file is looked at most once every two seconds: a check while a `use:` is
   * unresolved reads the whole workspace, on every keystroke.
   */
  refreshStale(uris: Iterable<string>, now = Date.now()): void {
    for (const uri of uris) {
      const file = this.files.get(uri);
      if (!file || file.version !== undefined || file.fsPath === undefined) continue;
      if (now - (this.looked.get(uri) ?? -Infinity) < STAT_EVERY_MS) continue;
      this.looked.set(uri, now);
      if (stampOf(file.fsPath) !== file.stamp) this.refreshFromDisk(uri);
    }
  }

  /** The files that may declare `id`. */
  declaring(id: string): WorkspaceFile[] {
    return [...(this.byId.get(id) ?? [])]
      .map((uri) => this.files.get(uri)!)
      .filter(Boolean)
      .sort(byDisplay);
  }

  /** Every id some file declares, with the files declaring it. */
  ids(): Map<string, WorkspaceFile[]> {
    const out = new Map<string, WorkspaceFile[]>();
    for (const id of this.byId.keys()) out.set(id, this.declaring(id));
    return out;
  }

  /**
   * The files a check of `uri` reads, sorted as `sopflow validate` sorts them (by display
   * name): the file; every file that may declare an id it uses, at any depth; every file that
   * may declare its own id (duplicate-procedure); every file whose id the scan is unsure of;
   * and, when it uses an id no file declares, every file (the did-you-mean looks at all ids).
   */
  projectFor(uri: string): WorkspaceFile[] {
    const target = this.files.get(canonicalUri(uri));
    if (!target) return [];
    const chosen = new Set<WorkspaceFile>([target]);
    for (const file of this.files.values()) if (!file.links.certain) chosen.add(file);
    for (const id of target.links.ids) for (const f of this.declaring(id)) chosen.add(f);
    const queue = [...chosen];
    let missing = false;
    for (let i = 0; i < queue.length; i++) {
      for (const use of queue[i]!.links.uses) {
        const declared = this.byId.get(use);
        if (!declared || declared.size === 0) {
          if (queue[i] === target) missing = true;
          continue;
        }
        for (const other of declared) {
          const f = this.files.get(other);
          if (f && !chosen.has(f)) {
            chosen.add(f);
            queue.push(f);
          }
        }
      }
    }
    if (missing) for (const file of this.files.values()) chosen.add(file);
    return [...chosen].sort(byDisplay);
  }

  private put(file: WorkspaceFile): void {
    const old = this.files.get(file.uri);
    if (old) this.unindex(old);
    this.files.set(file.uri, file);
    for (const id of file.links.ids) {
      let set = this.byId.get(id);
      if (!set) this.byId.set(id, (set = new Set()));
      set.add(file.uri);
    }
  }

  private delete(uri: string): void {
    const old = this.files.get(uri);
    this.looked.delete(uri);
    if (!old) return;
    this.unindex(old);
    this.files.delete(uri);
  }

  private unindex(file: WorkspaceFile): void {
    for (const id of file.links.ids) {
      const set = this.byId.get(id);
      set?.delete(file.uri);
      if (set?.size === 0) this.byId.delete(id);
    }
  }
}

function byDisplay(a: WorkspaceFile, b: WorkspaceFile): number {
  return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
}
