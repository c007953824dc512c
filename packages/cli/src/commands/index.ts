import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from '../io.js';

/** A command's implementation, loaded lazily when the command runs. */
export interface CommandModule {
  /** `args` are commander's action arguments: positional args…, options object, command */
  run(args: unknown[], io: CliIo): Promise<number>;
}

export interface CommandSpec {
  name: string;
  /** declares arguments and options (cheap: no heavy imports here) */
  define(command: Command): Command;
  load(): Promise<CommandModule>;
}

/** Every command, in help order. Each `load` imports its module only when the command runs,
 *  so `validate` never pays for xstate, nothing but `render` loads mermaid, and nothing but `lsp`
 *  loads the language server. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    define: (c) => c
      .description('check SOP files against the schema and the semantic rules')
      .argument('<paths...>', 'files, folders (searched for *.sop.yaml / *.sop.yml) or globs')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json', 'sarif', 'github']).default('stylish'))
      .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', (v) => parseCount(v, '--max-warnings'))
      .option('-q, --quiet', 'report errors only')
      .option('--no-color', 'no colours in stylish output')
      .option('--today <date>', 'the date review_by is compared with (YYYY-MM-DD; default: today)'),
    load: () => import('./validate.js'),
  },
  {
    name: 'compile',
    define: (c) => c
      .description('compile an SOP to an XState v5 machine config (JSON)')
      .argument('<file>', 'the SOP file')
      .option('-o, --out <file>', 'write the JSON here instead of stdout')
      .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to'),
    load: () => import('./compile.js'),
  },
  {
    name: 'run',
    define: (c) => c
      .description('walk through an SOP in the terminal, step by step')
      .argument('<file>', 'the SOP file')
      .option('-s, --script <file>', 'replay answers from a YAML script instead of prompting')
      .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to')
      .option('--json', 'print the journal and outcome as JSON at the end'),
    load: () => import('./run.js'),
  },
  {
    name: 'paths',
    define: (c) => c
      .description('list every simple path from the first step to each end (training scenarios, test plan)')
      .argument('<file>', 'the SOP file')
      .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to')
      .option('--json', 'print the paths as JSON'),
    load: () => import('./paths.js'),
  },
  {
    name: 'render',
    define: (c) => c
      .description('render SOPs as a Mermaid flowchart, a checklist, a Markdown document, an HTML page or an SVG')
      .argument('<paths...>', 'files, folders or globs')
      .addOption(new Option('-t, --to <format>', 'what to render').choices(['mermaid', 'checklist', 'markdown', 'html', 'svg']).default('markdown'))
      .option('-o, --out <dir>', 'write one file per SOP into this folder (default: stdout for text formats)')
      .option('--beside', 'write each render next to its SOP file (a.sop.yaml -> a.sop.md)')
      .addOption(new Option('--direction <dir>', 'flowchart direction').choices(['TD', 'TB', 'LR', 'RL', 'BT']).default('TD'))
      .addOption(new Option('--group-by <key>', 'group diagram nodes into subgraphs').choices(['none', 'role', 'segment']).default('none'))
      .option('--chromium <path>', 'the Chromium executable for --to svg (default: chromium on PATH)'),
    load: () => import('./render.js'),
  },
  {
    name: 'lsp',
    define: (c) => c
      .description('start the language server: sopflow\'s diagnostics, quick fixes, completion and navigation in your editor (LSP over stdio)')
      .option('--stdio', 'talk JSON-RPC over stdin and stdout (the default, and the only transport)'),
    load: () => import('./lsp.js'),
  },
];

function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}"`);
  return n;
}
