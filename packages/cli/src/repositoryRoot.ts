import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * The root of the git repository holding `folder` (the nearest folder with a `.git` folder or
 * file: a worktree or submodule has a `.git` file), or `folder` itself outside any repository.
 * SARIF paths are relative to it, as GitHub code scanning expects.
 */
export function repositoryRoot(folder: string): string {
  const start = path.resolve(folder);
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      statSync(path.join(dir, '.git'));
      return dir;
    } catch {
      /* not here */
    }
    if (path.dirname(dir) === dir) return start;
  }
}
