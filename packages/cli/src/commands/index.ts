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
    define: (c) =>
      c
        .description('check SOP files against the schema and the semantic rules')
        .argument('<paths...>', 'files, folders (searched for *.sop.yaml / *.sop.yml) or globs; - reads one SOP from stdin')
        .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json', 'sarif', 'github']).default('stylish'))
        .option('-o, --output-file <file>', 'write the report to this file instead of stdout')
        .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', (v) => parseCount(v, '--max-warnings'))
        .option('-q, --quiet', 'report errors only')
        .option('--color', 'colours in stylish output even when stdout is not a terminal')
        .option('--no-color', 'no colours in stylish output')
        .option('--today <date>', 'the date review_by is compared with (YYYY-MM-DD; default: today)')
        .option('--ignore <pattern>', 'skip files matching this .gitignore-style pattern (repeatable)', collect)
        .option('--no-ignore-files', 'do not read .sopflowignore files')
        .option('--stdin-filename <file>', 'the file name the SOP read from stdin (-) is reported as and resolves use: from'),
    load: () => import('./validate.js'),
  },
  {
    name: 'compile',
    define: (c) =>
      c
        .description('compile an SOP to an XState v5 machine config (JSON)')
        .argument('<file>', 'the SOP file; - reads it from stdin')
        .option('-o, --out <file>', 'write the JSON here instead of stdout')
        .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to')
        .option('--stdin-filename <file>', 'the file name the SOP read from stdin (-) is reported as and resolves use: from'),
    load: () => import('./compile.js'),
  },
  {
    name: 'run',
    define: (c) =>
      c
        .description('walk through an SOP in the terminal, step by step')
        .argument('<file>', 'the SOP file; - reads it from stdin (then answers come from --script)')
        .option('-s, --script <file>', 'replay answers from a YAML script instead of prompting')
        .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to')
        .option('--by <name>', 'who walks through it: recorded on every move in the journal')
        .option('--json', 'print the journal and outcome as JSON at the end')
        .option('--stdin-filename <file>', 'the file name the SOP read from stdin (-) is reported as and resolves use: from'),
    load: () => import('./run.js'),
  },
  {
    name: 'paths',
    define: (c) =>
      c
        .description('list every simple path from the first step to each end (training scenarios, test plan)')
        .argument('<file>', 'the SOP file; - reads it from stdin')
        .option('-p, --procedures <paths...>', 'SOP files or folders that `use:` steps refer to')
        .option('--json', 'print the paths as JSON')
        .option('--stdin-filename <file>', 'the file name the SOP read from stdin (-) is reported as and resolves use: from'),
    load: () => import('./paths.js'),
  },
  {
    name: 'render',
    define: (c) =>
      c
        .description('render SOPs as a Mermaid flowchart, a checklist, a Markdown document, an HTML page or an SVG')
        .argument('<paths...>', 'files, folders or globs; - reads one SOP from stdin')
        .addOption(
          new Option('-t, --to <format>', 'what to render')
            .choices(['mermaid', 'checklist', 'markdown', 'html', 'svg'])
            .default('markdown'),
        )
        .option('-o, --out <dir>', 'write one file per SOP into this folder (default: stdout for text formats)')
        .option('--beside', 'write each render next to its SOP file (a.sop.yaml -> a.sop.md)')
        .addOption(new Option('--direction <dir>', 'flowchart direction').choices(['TD', 'TB', 'LR', 'RL', 'BT']).default('TD'))
        .addOption(
          new Option('--group-by <key>', 'group diagram nodes into subgraphs').choices(['none', 'role', 'segment']).default('none'),
        )
        .option('--chromium <path>', 'the Chromium executable for --to svg (default: chromium on PATH)')
        .option('--single-file', 'HTML written to files: put mermaid in every page instead of one shared sopflow-mermaid.min.js per folder')
        .option('--ignore <pattern>', 'skip files matching this .gitignore-style pattern (repeatable)', collect)
        .option('--no-ignore-files', 'do not read .sopflowignore files')
        .option('--stdin-filename <file>', 'the file name the SOP read from stdin (-) is reported as and resolves use: from'),
    load: () => import('./render.js'),
  },
  {
    name: 'serve',
    define: (c) =>
      c
        .description('serve the runs of a folder of SOPs: the HTTP API and the agent page, on an embedded SQLite database by default')
        .argument('<folder>', 'the SOPs to serve (validated at start: a folder with errors does not start)')
        .option('--db <file>', 'the database file of the local engine', 'sopflow-runs.db')
        .option('--port <n>', 'the port to listen on', (v) => parsePort(v), 8080)
        .option('--host <address>', 'the address to listen on; beyond loopback only with --tokens', '127.0.0.1')
        .option('--tokens <file>', 'bearer tokens (JSON) mapping to actors and roles; then by comes from the token and roles are enforced')
        .option('--actions <module>', 'an ES module exporting an object of functions, one per named action of the SOPs')
        .addOption(new Option('--engine <engine>', 'where runs live').choices(['local', 'restate']).default('local'))
        .option('--rate-limit <n>', 'requests per second per client (0: no limit)', (v) => parseCount(v, '--rate-limit'), 100)
        .option('--log', 'print one line per request (method, path, status, time, actor)')
        .option('--restate <ingress-url>', "with --engine restate: Restate's HTTP ingress, e.g. http://127.0.0.1:8080")
        .option('--admin <admin-url>', "with --engine restate: Restate's admin API, where this process registers its endpoint")
        .option('--namespace <name>', "with --engine restate: the prefix of sopflow's services (several deployments on one Restate)")
        .option('--endpoint-port <n>', "with --engine restate: the port of this process's sopflow endpoint (default 9080)", (v) =>
          parsePort(v),
        )
        .option('--endpoint-host <address>', 'with --engine restate: the address the endpoint listens on (default 127.0.0.1)')
        .option('--endpoint-url <url>', 'with --engine restate: the address Restate calls the endpoint at (a load balancer)')
        .option('--no-endpoint', 'with --engine restate: take HTTP requests only; the endpoints run in other processes'),
    load: () => import('./serve.js'),
  },
  {
    name: 'schema',
    define: (c) =>
      c
        .description('print the path of the SOP JSON Schema shipped with sopflow (for editors and yaml-language-server)')
        .option('--content', 'print the schema itself instead of its path')
        .option('--modeline <file>', 'print the yaml-language-server line to put first in this SOP file'),
    load: () => import('./schema.js'),
  },
  {
    name: 'lsp',
    define: (c) =>
      c
        .description(
          "start the language server: sopflow's diagnostics, quick fixes, completion and navigation in your editor (LSP over stdio)",
        )
        .option('--stdio', 'talk JSON-RPC over stdin and stdout (the default, and the only transport)'),
    load: () => import('./lsp.js'),
  },
];

/** Collects a repeatable option's values. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port takes a port number (0-65535), got "${value}"`);
  return n;
}

function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}"`);
  return n;
}
