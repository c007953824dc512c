import type { SopMachineConfig } from '@sopflow/compiler';
import { HostError, type HostAction } from '@sopflow/host';
import { RestateHost } from './RestateHost.js';
import { checkUrl } from './http/IngressClient.js';

/** What `sopflow serve --engine restate` takes, as its command line gives it. */
export interface RestateServeOptions {
  /** `--restate <ingress-url>`: Restate's HTTP ingress */
  restate: string;
  /** `--admin <admin-url>`: Restate's admin API; the endpoint is registered there */
  admin?: string;
  /** `--namespace <name>`: the services' prefix (default `sopflow`) */
  namespace?: string;
  /** `--endpoint-port <n>`: where this process serves the sopflow endpoint (default 9080) */
  endpointPort?: number;
  /** `--endpoint-host <ip>`: the interface it listens on (default 127.0.0.1) */
  endpointHost?: string;
  /** `--endpoint-url <url>`: the address Restate calls, when not `http://<host>:<port>` (a load
   *  balancer in front of several serve processes) */
  endpointUrl?: string;
  /** `--no-endpoint`: an API process only; endpoints run elsewhere */
  endpoint?: boolean;
  /** the builds of the folder served, published at start-up */
  sops: SopMachineConfig[];
  /** the app's implementations of the SOPs' actions */
  actions?: Record<string, HostAction>;
  enforceRoles?: boolean;
  onError?: (error: Error) => void;
}

/**
 * The Restate host `sopflow serve --engine restate` runs on: checks the options (a bad one is
 * `bad-request`, a usage error), serves the sopflow endpoint in this process and registers it
 * with the admin API (unless `endpoint: false`), and publishes the folder's builds.
 */
export async function openRestateHostForServe(options: RestateServeOptions): Promise<RestateHost> {
  if (!options || typeof options !== 'object') throw new HostError('bad-request', 'serve needs the Restate options');
  if (typeof options.restate !== 'string' || options.restate === '')
    throw new HostError('bad-request', '--engine restate needs --restate <ingress-url>, e.g. http://127.0.0.1:8080');
  checkUrl(options.restate, '--restate');
  if (options.admin !== undefined) checkUrl(options.admin, '--admin');
  if (options.endpointUrl !== undefined) checkUrl(options.endpointUrl, '--endpoint-url');
  const serveEndpoint = options.endpoint !== false;
  if (serveEndpoint && options.admin === undefined && options.endpointUrl === undefined) {
    throw new HostError(
      'bad-request',
      "--engine restate needs --admin <admin-url> to register this process's endpoint (or --no-endpoint for an API process alone)",
    );
  }
  const port = options.endpointPort ?? 9080;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new HostError('bad-request', `--endpoint-port is a port number, not ${String(options.endpointPort)}`);
  return RestateHost.open({
    ingress: options.restate,
    ...(options.admin !== undefined ? { admin: options.admin } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(options.enforceRoles ? { enforceRoles: true } : {}),
    sops: options.sops,
    ...(serveEndpoint
      ? {
          endpoint: {
            port,
            ...(options.endpointHost !== undefined ? { hostname: options.endpointHost } : {}),
            ...(options.endpointUrl !== undefined ? { url: options.endpointUrl } : {}),
            ...(options.actions ? { actions: options.actions } : {}),
            ...(options.onError ? { onError: options.onError } : {}),
            register: options.admin !== undefined,
          },
        }
      : {}),
  });
}
