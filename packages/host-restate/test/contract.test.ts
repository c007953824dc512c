import { describeRunHost } from '@sopflow/host/contract';
import { RestateHost } from '../src/index.js';
import { freePort } from '../src/server/index.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

const restate = useRestateServer();

describeRunHost('RestateHost', async ({ sops, actions, enforceRoles }) => {
  const namespace = freshNamespace();
  const port = await freePort();
  const open = () =>
    RestateHost.open({
      ingress: restate.server.ingress,
      admin: restate.server.admin,
      namespace,
      enforceRoles,
      endpoint: { port, actions, retry: { baseMs: 20, attempts: 5 } },
    });
  const host = await open();
  for (const config of sops) await host.publish(config);
  return { host, reopen: open };
});
