// A sopflow Restate endpoint for the bench: `workers` processes on one port (Node's cluster
// module shares the listening socket; Restate opens several HTTP/2 connections and the kernel
// hands them out), all registered as one deployment address.
//
//   node restateEndpoint.mjs '{"ingress":…,"port":…,"workers":2}'
import cluster from 'node:cluster';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/api.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const workers = config.workers ?? 1;

if (cluster.isPrimary && workers > 1) {
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
    process.exit(0);
  });
  let ready = 0;
  const fork = () =>
    cluster.fork().on('message', (m) => {
      if (m === 'ready' && ++ready === workers) console.log(`ready ${workers}`);
    });
  for (let i = 0; i < workers; i++) fork();
  // a supervisor's job: a worker that dies is replaced (Restate retries what it had under way)
  cluster.on('exit', (worker, code, signal) => {
    console.error(`endpoint worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    console.log('worker-exited');
    fork();
  });
} else {
  const { serveEndpoint } = await import(pathToFileURL(path.join(ROOT, 'packages/host-restate/dist/index.js')).href);
  await serveEndpoint({ ingress: config.ingress, port: config.port, logger: () => {} });
  if (cluster.isWorker) {
    process.on('disconnect', () => process.exit(0));
    process.send('ready');
  } else console.log('ready 1');
}
