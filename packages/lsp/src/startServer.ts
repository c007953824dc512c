import type { Readable, Writable } from 'node:stream';
import { createConnection, type Connection, type Logger, type WatchDog } from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { SopflowServer } from './SopflowServer.js';

export interface RunningServer {
  connection: Connection;
  /**
   * Settles when the server has stopped, with the exit code LSP asks for: 0 after `shutdown`
   * then `exit`, 1 for `exit` without `shutdown`, the input closing, or the editor's process
   * (initialize's `processId`) going away. The server never ends the process itself.
   */
  exited: Promise<number>;
  /** stops the server as if the input had closed */
  stop(): void;
}

/**
 * The protocol's logger, made safe: it logs through the connection itself, which throws once the
 * connection is closed (a frame that fails after `exit` would otherwise end as an unhandled rejection).
 */
function quiet(logger: Logger): Logger {
  const safe = (write: (message: string) => void) => (message: string) => {
    try {
      write(message);
    } catch {
      // nobody left to tell
    }
  };
  return { error: safe((m) => logger.error(m)), warn: safe((m) => logger.warn(m)), info: safe((m) => logger.info(m)), log: safe((m) => logger.log(m)) };
}

/** How often the editor's process is looked for (as vscode-languageserver does). */
const PARENT_POLL_MS = 3000;

/**
 * Starts the sopflow language server on a pair of streams (stdin/stdout for `sopflow lsp`):
 * JSON-RPC with Content-Length framing. Built on vscode-languageserver, with a watchdog of its
 * own so that nothing in the library calls `process.exit`: the caller decides (the CLI's bin).
 */
export function startServer(input: Readable, output: Writable): RunningServer {
  let shutdown = false;
  let finish!: (code: number) => void;
  let done = false;
  let parentTimer: ReturnType<typeof setInterval> | undefined;
  const exited = new Promise<number>((resolve) => {
    finish = (code) => {
      if (done) return;
      done = true;
      if (parentTimer) clearInterval(parentTimer);
      server?.dispose();
      try {
        connection.dispose();
      } catch {
        // already closed
      }
      resolve(code);
    };
  });
  const watchDog: WatchDog = {
    initialize(params) {
      const pid = params?.processId;
      if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || parentTimer) return;
      parentTimer = setInterval(() => {
        try {
          process.kill(pid, 0);
        } catch (error) {
          if ((error as NodeJS.ErrnoException)?.code === 'ESRCH') finish(shutdown ? 0 : 1);
        }
      }, PARENT_POLL_MS);
      parentTimer.unref?.();
    },
    get shutdownReceived() {
      return shutdown;
    },
    set shutdownReceived(value: boolean) {
      shutdown = value;
    },
    exit(code) {
      finish(code);
    },
  };
  const reader = new StreamMessageReader(input);
  const writer = new StreamMessageWriter(output);
  // malformed frames and bodies are reported by the reader and skipped; the server goes on
  reader.onError(() => undefined);
  writer.onError(() => undefined);
  reader.onClose(() => finish(shutdown ? 0 : 1));
  const connection = createConnection((logger) => createProtocolConnection(reader, writer, quiet(logger)), watchDog);
  let server: SopflowServer | undefined;
  server = new SopflowServer(connection);
  connection.listen();
  return { connection, exited, stop: () => finish(shutdown ? 0 : 1) };
}
