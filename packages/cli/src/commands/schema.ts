import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CliError, EXIT_OK, type CliIo } from '../io.js';

export interface SchemaCommandOptions {
  content?: boolean;
  modeline?: string;
}

/** The specifier of the schema shipped in @sopflow/core (its package.json `exports`). */
export const SCHEMA_SPECIFIER = '@sopflow/core/schema/sop.schema.json';

/** The absolute path of the installed schema file. */
export function schemaPath(): string {
  try {
    return createRequire(import.meta.url).resolve(SCHEMA_SPECIFIER);
  } catch {
    throw new CliError(`cannot find ${SCHEMA_SPECIFIER}: is @sopflow/core installed (and built, in the sopflow repository)?`);
  }
}

/**
 * `sopflow schema [--content | --modeline <file>]`: where the SOP JSON Schema is (for an editor's
 * `yaml.schemas` setting), the schema itself, or the `# yaml-language-server: $schema=…` line
 * that gives an SOP file completion and checks in any editor using yaml-language-server.
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const options = (args[0] ?? {}) as SchemaCommandOptions;
  if (options.content && options.modeline !== undefined) throw new CliError('use either --content or --modeline, not both');
  const file = schemaPath();
  if (options.content) {
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new CliError(`cannot read ${file}: ${error.message}`);
    });
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  } else if (options.modeline !== undefined) {
    const sop = path.resolve(io.cwd, options.modeline);
    const rel = path.relative(path.dirname(sop), file).split(path.sep).join('/');
    io.stdout(`# yaml-language-server: $schema=${rel.startsWith('.') ? rel : `./${rel}`}\n`);
  } else {
    io.stdout(`${file}\n`);
  }
  return EXIT_OK;
}
