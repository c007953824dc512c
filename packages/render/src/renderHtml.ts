import { createHash } from 'node:crypto';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { renderMermaid, type MermaidOptions } from './renderMermaid.js';
import { checklistHeader, checklistItems, type Line } from './checklistItems.js';
import { allowedValues, fieldType, metadataRows } from './renderDocument.js';
import { safeRelativeUrl } from './renderMermaid.js';
import { escapeHtml, escapeInlineScript, jsonStringForScript } from './escapeHtml.js';
import { loadMermaidBundle } from './mermaidBundle.js';

export interface HtmlOptions extends MermaidOptions {
  /** mermaid's browser bundle, inlined in the page; default: `mermaid/dist/mermaid.min.js` from the installed package */
  mermaidScript?: string;
  /**
   * A relative URL of a shared copy of mermaid's browser bundle (`sopflow-mermaid.min.js`): the
   * page loads it from there instead of inlining 3 MB. Write the copy once per folder of pages
   * (`mermaidBundlePath()` is the file to copy). The page's policy then allows scripts from its
   * own origin ('self') besides its own inline script. Anything but a plain relative URL is
   * ignored and the bundle is inlined.
   */
  mermaidSrc?: string;
}

/** The file name `sopflow render --to html` gives the shared copy of mermaid's bundle. */
export const MERMAID_ASSET = 'sopflow-mermaid.min.js';

/** Runs in the page: draws the diagram with mermaid (strict security) and keeps checkbox state. */
const PAGE_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sopflow-data').textContent);
  var key = 'sopflow:' + data.id + '@' + data.version;
  var state = {};
  try { state = JSON.parse(window.localStorage.getItem(key) || '{}') || {}; } catch (e) { state = {}; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][data-check]'));
  function save() { try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage may be off */ } }
  function progress() {
    var done = boxes.filter(function (b) { return b.checked; }).length;
    var el = document.getElementById('progress');
    if (el) el.textContent = done + ' of ' + boxes.length + ' ticked';
  }
  boxes.forEach(function (box) {
    box.checked = state[box.getAttribute('data-check')] === true;
    box.addEventListener('change', function () { state[box.getAttribute('data-check')] = box.checked; save(); progress(); });
  });
  var reset = document.getElementById('reset');
  if (reset) reset.addEventListener('click', function () {
    state = {}; boxes.forEach(function (b) { b.checked = false; }); save(); progress();
  });
  progress();
  var target = document.getElementById('diagram');
  if (!window.mermaid) { target.textContent = 'The diagram needs mermaid, which is missing from this page.'; return; }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', flowchart: { htmlLabels: true, useMaxWidth: false } });
  window.mermaid.render('sopflow-diagram-svg', data.mermaid).then(function (result) {
    target.innerHTML = result.svg;
    if (result.bindFunctions) result.bindFunctions(target);
    target.setAttribute('data-rendered', 'true');
    // A wide flowchart scrolls inside its frame: open it on the start node, not on its empty left edge.
    var start = target.querySelector('g.node[id*="sStart"]');
    if (start) {
      var node = start.getBoundingClientRect(), frame = target.getBoundingClientRect();
      target.scrollLeft += node.left + node.width / 2 - (frame.left + frame.width / 2);
    }
    var fit = document.getElementById('fit');
    if (fit) {
      fit.hidden = false;
      fit.addEventListener('click', function () {
        var on = target.classList.toggle('fit');
        fit.textContent = on ? 'Actual size' : 'Fit to width';
      });
    }
  }, function (error) {
    target.textContent = 'The diagram could not be drawn: ' + (error && error.message ? error.message : String(error));
    target.setAttribute('data-rendered', 'error');
  });
})();`;

const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d7dbe0; --accent: #3b6fd8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; font-size: 1.8rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; font-size: 1.3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; color: var(--muted); }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f5f7fa; }
.diagram { overflow-x: auto; overflow-y: visible; padding: .5rem 0; border: 1px solid var(--line); border-radius: .5rem; }
.diagram svg { display: block; margin: 0 auto; }
.diagram.fit svg { max-width: 100%; height: auto; }
@media print { .diagram { max-height: none; overflow: visible; border: 0; } .diagram svg { max-width: 100%; height: auto; } }
ol.checklist { list-style: none; padding: 0; margin: 0; }
ol.checklist > li { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .75rem; margin: .5rem 0; }
ol.checklist > li:target { outline: 2px solid var(--accent); }
ol.checklist > li.untickable { background: #fafbfc; }
.rules { border-left: 4px solid var(--accent); background: #f5f8ff; padding: .5rem 1rem; margin: 1rem 0; }
.rules h2 { margin-top: .25rem; border: 0; }
.target { color: var(--muted); }
.step { display: flex; gap: .5rem; align-items: baseline; font-weight: 600; }
.num { color: var(--muted); min-width: 2ch; }
.kind { margin-left: auto; font-size: .75rem; font-weight: 400; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
ul.details { margin: .25rem 0 0 2.2rem; padding: 0; color: var(--muted); }
ul.checks { list-style: none; margin: .25rem 0 0 2.2rem; padding: 0; }
.toolbar { display: flex; gap: 1rem; align-items: center; color: var(--muted); }
details.source pre { white-space: pre-wrap; background: #f5f7fa; padding: .75rem; border-radius: .4rem; }
@media print { .toolbar, details.source { display: none; } ol.checklist > li { break-inside: avoid; } }
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function htmlLine(line: Line, link: (id: string) => string | undefined = () => undefined): string {
  return line
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part);
      if ('step' in part) return `<a href="#step-${part.step}">step ${part.step}</a>`;
      if ('unknownStep' in part) return `unknown step “${escapeHtml(part.unknownStep)}”`;
      if ('em' in part) return `<em>${escapeHtml(part.em)}</em>`;
      const url = link(part.procedure);
      return url !== undefined ? `<a href="${escapeHtml(url)}">${escapeHtml(part.title)}</a>` : `<em>${escapeHtml(part.title)}</em>`;
    })
    .join('');
}

/**
 * An HTML page for an SOP: the document (every piece of SOP text escaped; its rules of conduct
 * at the top), the flowchart drawn in the page by mermaid's browser bundle (`securityLevel:
 * 'strict'`; inlined, or loaded from a shared copy beside the page with `mermaidSrc`), and the
 * checklist with working checkboxes (none on what a person does not do) whose state is kept in
 * `localStorage` per SOP id and version. A strict Content-Security-Policy allows only the page's
 * own scripts (inline ones by hash; the shared copy from the page's own origin) and no network
 * at all, so it works offline from a `file://` URL. Tall diagrams grow with the page.
 */
export function renderHtml(input: SopOrGraph, options: HtmlOptions = {}): string {
  const graph = toGraph(input);
  const sop = graph.sop;
  const title = String(sop.title ?? '') || String(sop.id ?? '') || 'Untitled SOP';
  const mermaidSource = renderMermaid(graph, options);
  const data = `{"id":${jsonStringForScript(String(sop.id ?? ''))},"version":${jsonStringForScript(String(sop.version ?? ''))},"mermaid":${jsonStringForScript(mermaidSource)}}`;
  const shared = options.mermaidSrc !== undefined ? safeRelativeUrl(options.mermaidSrc) : undefined;
  const bundle = shared === undefined ? escapeInlineScript(options.mermaidScript ?? loadMermaidBundle()) : undefined;
  const csp = [
    "default-src 'none'",
    `script-src ${bundle !== undefined ? sha256(bundle) : "'self'"} ${sha256(PAGE_SCRIPT)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const link = (id: string) => (options.linkProcedures ? safeRelativeUrl(options.linkProcedures(id)) : undefined);

  const body: string[] = [];
  body.push(`<header><h1>${escapeHtml(title)}</h1>`);
  const meta = metadataRows(sop as unknown as Record<string, unknown>);
  if (meta.length > 0) {
    body.push('<dl class="meta">', ...meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`), '</dl>');
  }
  body.push('</header>');
  const header = checklistHeader(graph);
  if (header.rules.length > 0) {
    body.push(
      '<section id="rules" class="rules"><h2>Rules</h2><p>These hold at every step.</p><ul>',
      ...header.rules.map((r) => `<li>${escapeHtml(r)}</li>`),
      '</ul></section>',
    );
  }
  if (typeof sop.purpose === 'string' && sop.purpose.trim() !== '') {
    body.push('<section id="purpose"><h2>Purpose</h2>', `<p>${escapeHtml(sop.purpose.trim())}</p>`, '</section>');
  }
  const terms = sop.terms && typeof sop.terms === 'object' ? Object.entries(sop.terms) : [];
  if (terms.length > 0) {
    body.push('<section id="terms"><h2>Terms</h2><table><thead><tr><th>Term</th><th>Meaning</th></tr></thead><tbody>');
    for (const [term, meaning] of terms) body.push(`<tr><td>${escapeHtml(term)}</td><td>${escapeHtml(String(meaning ?? ''))}</td></tr>`);
    body.push('</tbody></table></section>');
  }
  const fields = Object.entries(graph.fields);
  if (fields.length > 0) {
    body.push(
      '<section id="fields"><h2>Fields</h2><table><thead><tr><th>Field</th><th>Label</th><th>Type</th><th>Required</th><th>Allowed values</th></tr></thead><tbody>',
    );
    for (const [name, def] of fields) {
      body.push(
        `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(String(def?.label ?? ''))}</td><td>${escapeHtml(fieldType(def))}</td><td>${def?.required ? 'yes' : 'no'}</td><td>${escapeHtml(allowedValues(def))}</td></tr>`,
      );
    }
    body.push('</tbody></table></section>');
  }
  body.push(
    '<section id="flowchart"><h2>Flowchart</h2>',
    '<p class="toolbar"><button type="button" id="fit" hidden>Fit to width</button></p>',
    '<div id="diagram" class="diagram" data-rendered="false">Drawing the diagram…</div>',
    `<details class="source"><summary>Mermaid source</summary><pre>${escapeHtml(mermaidSource)}</pre></details>`,
    '</section>',
  );
  body.push(
    '<section id="checklist"><h2>Checklist</h2>',
    '<p class="toolbar"><span id="progress"></span><button type="button" id="reset">Clear all ticks</button></p>',
    '<ol class="checklist">',
  );
  for (const item of checklistItems(graph, options.procedures ? { procedures: options.procedures } : {})) {
    const kind = item.automatic
      ? 'automatic'
      : item.kind === 'subprocedure'
        ? 'procedure'
        : item.kind === 'handoff'
          ? 'hand-off'
          : item.kind;
    const box = item.tickable ? `<input type="checkbox" data-check="${item.number}">` : '';
    body.push(
      `<li id="step-${item.number}" data-step-kind="${item.kind}"${item.tickable ? '' : ' class="untickable"'}>`,
      `<${item.tickable ? 'label' : 'div'} class="step">${box}<span class="num">${item.number}.</span><span class="text">${htmlLine(item.text, link)}</span><span class="kind">${kind}</span></${item.tickable ? 'label' : 'div'}>`,
    );
    if (item.details.length > 0) body.push('<ul class="details">', ...item.details.map((d) => `<li>${htmlLine(d, link)}</li>`), '</ul>');
    if (item.checks.length > 0) {
      body.push(
        '<ul class="checks">',
        ...item.checks.map(
          (c, i) => `<li><label><input type="checkbox" data-check="${item.number}.${i + 1}"> ${escapeHtml(c)}</label></li>`,
        ),
        '</ul>',
      );
    }
    body.push('</li>');
  }
  body.push('</ol></section>');

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="sopflow">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script type="application/json" id="sopflow-data">${data}</script>`,
    bundle !== undefined ? `<script>${bundle}</script>` : `<script src="${escapeHtml(shared!)}"></script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
