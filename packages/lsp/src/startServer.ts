import type { Readable, Writable } from 'node:stream';
import { createConnection, type Connection, type Logger, type WatchDog } from 'vscode-languageserver';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
} from 'vscode-languageserver-protocol/node';
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
  return {
    error: safe((m) => logger.error(m)),
    warn: safe((m) => logger.warn(m)),
    info: safe((m) => logger.info(m)),
    log: safe((m) => logger.log(m)),
  };
}

/** The notification the input's end becomes: queued behind every message read before it. */
const INPUT_CLOSED = '$/sopflow/inputClosed';

/**
 * A stream reader that, when its input ends, hands the connection one last notification of
 * its own instead of stopping at once: the messages read before the end (a client that writes
 * `initialize`, a request, `shutdown`, `exit` and closes the pipe) are all answered first.
 */
class DrainingReader implements MessageReader {
  private callback: DataCallback | undefined;

  constructor(private readonly inner: StreamMessageReader) {
    inner.onClose(() => this.callback?.({ jsonrpc: '2.0', method: INPUT_CLOSED } as Message));
  }

  readonly onError = (listener: (e: Error) => unknown): Disposable => this.inner.onError(listener);
  readonly onClose = (_listener: () => unknown): Disposable => ({ dispose: () => undefined });
  readonly onPartialMessage: MessageReader['onPartialMessage'] = (listener) => this.inner.onPartialMessage(listener);

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return this.inner.listen(callback);
  }

  dispose(): void {
    this.inner.dispose();
  }
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
  const streamReader = new StreamMessageReader(input);
  const reader = new DrainingReader(streamReader);
  const writer = new StreamMessageWriter(output);
  // malformed frames and bodies are reported by the reader and skipped; the server goes on
  streamReader.onError(() => undefined);
  writer.onError(() => undefined);
  const connection = createConnection((logger) => createProtocolConnection(reader, writer, quiet(logger)), watchDog);
  connection.onNotification(INPUT_CLOSED, () => finish(shutdown ? 0 : 1));
  // declared before it is made: finish (above) may run while the server is being constructed
  let server: SopflowServer | undefined = undefined;
  server = new SopflowServer(connection);
  connection.listen();
  return { connection, exited, stop: () => finish(shutdown ? 0 : 1) };
}
