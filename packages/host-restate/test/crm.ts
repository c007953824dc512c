import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostActionCall } from '@sopflow/host';

/**
 * A CRM over HTTP for the fault tests, in the test process (it outlives every endpoint). It
 * applies each request once by its idempotency key, as a real system that takes one does, and
 * keeps every call it received. With `hold` on, it applies a call and leaves the caller waiting
 * for the answer (an endpoint killed then never hears back).
 */
export interface Crm {
  url: string;
  calls: HostActionCall[];
  /** how many times each key was applied (1 at most, however often it came) */
  applied: Map<string, number>;
  hold: boolean;
  /** calls waiting for their answer */
  readonly waiting: number;
  /** answers the calls held */
  release(): void;
  close(): Promise<void>;
}

export async function startCrm(): Promise<Crm> {
  const calls: HostActionCall[] = [];
  const applied = new Map<string, number>();
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HostActionCall;
      calls.push(call);
      if (!applied.has(call.key)) applied.set(call.key, 1);
      if (crm.hold) held.push(res);
      else res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const crm: Crm = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    applied,
    hold: false,
    get waiting() {
      return held.filter((r) => !r.writableEnded && !r.destroyed).length;
    },
    release: () => {
      for (const r of held.splice(0)) if (!r.writableEnded) r.end('{}');
    },
    close: () =>
      new Promise<void>((resolve) => {
        crm.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return crm;
}
