import { describeRunHost } from '../src/contract/index.js';
import { MemoryHost } from '../src/index.js';

describeRunHost('MemoryHost', async ({ sops, actions, enforceRoles }) => ({
  host: new MemoryHost({ sops, actions, enforceRoles, retry: { baseMs: 20, attempts: 5 } }),
}));
