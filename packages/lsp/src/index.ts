export { startServer } from './startServer.js';
export type { RunningServer } from './startServer.js';
export { SopflowServer, DEFAULT_DEBOUNCE_MS } from './SopflowServer.js';
export type { ServerOptions } from './SopflowServer.js';
export { isSopDocument } from './isSopDocument.js';
export { readOutline } from './outline/readOutline.js';
export type { Outline, StepEntry, StepRef, FieldRef, NameAt, Span } from './outline/readOutline.js';
export { docsUrl, toLspDiagnostic, DEFAULT_DOCS_BASE } from './check/toLsp.js';
