import './polyfill.js';

export { RestateHost } from './RestateHost.js';
export type { RestateHostOptions, OpenRestateHostOptions } from './RestateHost.js';
export { sopflowServices } from './endpoint/sopflowServices.js';
export type { SopflowServices, SopflowServicesOptions } from './endpoint/sopflowServices.js';
export { serveEndpoint } from './endpoint/serveEndpoint.js';
export type { EndpointOptions, RunningEndpoint } from './endpoint/serveEndpoint.js';
export { registerDeployment, waitForIngress, waitForRestate } from './http/admin.js';
export { openRestateHostForServe } from './serveOptions.js';
export type { RestateServeOptions } from './serveOptions.js';
export type { RegisterOptions, Registered } from './http/admin.js';
export { IngressClient } from './http/IngressClient.js';
export type { IngressClientOptions } from './http/IngressClient.js';
export { DEFAULT_NAMESPACE, INDEX_SHARDS, serviceNames } from './names.js';
export type { ServiceNames } from './names.js';
