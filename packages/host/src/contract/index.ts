/** The host contract suite (vitest): `describeRunHost(name, factory)` in a host's tests. */
export { describeRunHost, FakeCrm, eventually } from './describeRunHost.js';
export type { HostFactory, HostFactoryContext, HostUnderTest } from './describeRunHost.js';
export { deskSop, ticketSop } from './suiteSops.js';
