import { Writable } from 'node:stream';
import { startServer } from '@sopflow/lsp';
import { CliError, type CliIo } from '../io.js';

/**
 * `sopflow lsp [--stdio]`: the language server, over stdin and stdout, until the editor says
 * `exit` or closes the pipe. Exit code 0 after a clean `shutdown` + `exit`, 1 otherwise (as
 * LSP asks). Nothing else may be written to stdout: it carries the protocol.
 */
export async function run(_args: unknown[], io: CliIo): Promise<number> {
  if (!io.stdin) throw new CliError('sopflow lsp needs standard input (it is started by an editor)');
  const output = new Writable({
    // the protocol writer hands over whole header and body chunks, so each decodes on its own
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        io.stdout(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const server = startServer(io.stdin, output);
  const code = await server.exited;
  // stop reading, so the process can end even if the editor keeps the pipe open
  io.stdin.destroy?.();
  return code;
}
