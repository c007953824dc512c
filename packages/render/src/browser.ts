/**
 * The renders that need neither Node nor a browser engine: safe to bundle for a web page.
 * (`renderHtml` reads mermaid's bundle from disk and `renderSvg` starts Chromium: Node only,
 * from the package root.)
 */
export type { SopOrGraph } from './toGraph.js';
export { toGraph } from './toGraph.js';
export type { MermaidOptions, FlowDirection, GroupBy } from './renderMermaid.js';
export { renderMermaid, mermaidNodeId, edgeLabel, safeRelativeUrl, KIND_CLASS } from './renderMermaid.js';
export type { ChecklistOptions } from './renderChecklist.js';
export { renderChecklist } from './renderChecklist.js';
export type { ChecklistItem, Line, Part } from './checklistItems.js';
export { checklistItems } from './checklistItems.js';
export type { DocumentOptions } from './renderDocument.js';
export { renderDocument } from './renderDocument.js';
export { escapeMermaidText } from './escapeMermaid.js';
export { escapeMarkdown } from './escapeMarkdown.js';
export { escapeHtml } from './escapeHtml.js';
