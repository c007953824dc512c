import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostAction } from '@sopflow/host';
import { CliError } from '../io.js';

/**
 * Loads `--actions file.mjs`: a module whose default export (or `actions` export) is an object
 * of functions by action name, each receiving a HostActionCall (`key`, `runId`, `action`,
 * `data`, `meta`, `attempt`, …). Anything else is a usage error.
 */
export async function loadActions(file: string, cwd: string): Promise<Record<string, HostAction>> {
  const resolved = path.resolve(cwd, file);
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`--actions ${file}: no such file`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `--actions ${file}: the module does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const table = mod.actions ?? mod.default;
  if (!table || typeof table !== 'object' || Array.isArray(table)) {
    throw new CliError(
      `--actions ${file}: export an object of functions by action name, e.g. export default { 'crm.save-notes': async (call) => { … } }`,
    );
  }
  const out: Record<string, HostAction> = {};
  for (const [name, fn] of Object.entries(table as Record<string, unknown>)) {
    if (typeof fn !== 'function') throw new CliError(`--actions ${file}: "${name}" is not a function`);
    out[name] = fn as HostAction;
  }
  return out;
}
