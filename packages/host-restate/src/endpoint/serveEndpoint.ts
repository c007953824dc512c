import '../polyfill.js';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as restate from '@restatedev/restate-sdk';
import { HostError } from '@sopflow/host';
import { sopflowServices, type SopflowServices, type SopflowServicesOptions } from './sopflowServices.js';

export interface EndpointOptions extends SopflowServicesOptions {
  /** the port to listen on (default 9080; 0 picks a free one) */
  port?: number;
  /** the interface to listen on (default 127.0.0.1; `0.0.0.0` for Restate on other machines) */
  hostname?: string;
  /** Restate request identity keys (`publickeyv1_…`): when given, only a Restate cluster holding
   *  the private key may call this endpoint */
  identityKeys?: string[];
  /** where the SDK logs (default: only warnings and errors, to the console) */
  logger?: restate.LoggerTransport;
}

export interface RunningEndpoint {
  /** `http://<hostname>:<port>`: the address to register with Restate's admin API */
  url: string;
  port: number;
  services: SopflowServices;
  /** stops taking invocations; Restate retries those under way on the deployment's address (this
   *  process when it comes back, or another behind the same address) */
  close(): Promise<void>;
}

const warned = new Set<string>();

/** The SDK's default logger, quieter: warnings and errors only, and a warning about the endpoint
 *  (not an invocation) once per process. */
const quietLogger: restate.LoggerTransport = (meta, message, ...rest: unknown[]) => {
  // the SDK declares its levels as an enum but does not export it at run time: compare the strings
  const level: string = meta.level;
  if (level === 'warn') {
    if (!meta.context && typeof message === 'string') {
      if (warned.has(message)) return;
      warned.add(message);
    }
    console.warn('[restate]', message, ...rest);
  } else if (level === 'error') {
    console.error('[restate]', message, ...rest);
  }
};

/**
 * Serves the sopflow services as a Restate endpoint (HTTP/2) in this process. Run as many
 * endpoint processes as you like behind one address (a load balancer, or Node's cluster module on
 * one port) and register that address once: Restate spreads invocations over the connections.
 */
export async function serveEndpoint(options: EndpointOptions): Promise<RunningEndpoint> {
  const services = sopflowServices(options);
  let endpoint = restate.endpoint().setLogger(options.logger ?? quietLogger);
  for (const service of services.services) endpoint = endpoint.bind(service);
  if (options.identityKeys?.length) endpoint = endpoint.withIdentityV1(...options.identityKeys);
  const server = http2.createServer(endpoint.http2Handler());
  const sessions = new Set<http2.Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const hostname = options.hostname ?? '127.0.0.1';
  const port = options.port ?? 9080;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new HostError('bad-request', `the endpoint port is a whole number from 0 to 65535, not ${port}`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(new HostError('unavailable', `the endpoint cannot listen on ${hostname}:${port}: ${error.message}`, { cause: error })),
    );
    server.listen(port, hostname, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname === '0.0.0.0' ? '127.0.0.1' : hostname;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    services,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Restate keeps its connections open: end them, and Restate retries what was under way
        for (const session of sessions) session.destroy();
        services.close();
      });
      return closing;
    },
  };
}
