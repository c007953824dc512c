// Installs a tool from the npm registry into a cache folder at test time (once per version),
// for tests that check sopflow's output with other people's tools (Sarif.Multitool…) that are
// too large to be devDependencies. The cache is node_modules/.cache/sopflow-tools/<name>@<version>
// at the repository root; an install goes to a temporary folder renamed into place, so parallel
// runs never see half of one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_CACHE = path.join(ROOT, 'node_modules', '.cache', 'sopflow-tools');

/** The folder holding `node_modules/<name>` for `name@version`, installed when missing. */
export function npmTool(name, version, { timeoutMs = 300_000 } = {}) {
  const dir = path.join(TOOLS_CACHE, `${name.replace('/', '+')}@${version}`);
  if (existsSync(path.join(dir, 'installed'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'sopflow-tool-cache', private: true }) + '\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefer-offline', '--loglevel=error', `${name}@${version}`], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      env: { ...process.env, npm_config_yes: 'true' },
    });
    writeFileSync(path.join(tmp, 'installed'), `${new Date().toISOString()}\n`);
    try {
      renameSync(tmp, dir);
    } catch (error) {
      if (!existsSync(path.join(dir, 'installed'))) throw error; // another run won the race: use its copy
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
