import { readFile } from 'node:fs/promises';

/*
 * The agent page: one HTML shell (no data in it) and two static files, app.js and app.css,
 * that render the runs from the JSON API. No build step, no CDN: the files in ../assets are
 * served as they are.
 */

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};
const cache = new Map<string, Buffer>();

export async function readAsset(name: string): Promise<{ type: string; body: Buffer } | undefined> {
  const type = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
  if (!type) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = await readFile(new URL(`../assets/${name}`, import.meta.url));
    cache.set(name, body);
  }
  return { type, body };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderPage(options: { title: string; view: 'home' | 'run' | 'login'; runId?: string; secured: boolean }): string {
  const title = escapeHtml(options.title);
  const heading = options.view === 'run' ? 'Run' : options.view === 'login' ? 'Sign in' : 'Runs';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading} · ${title}</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
  <a class="brand" href="/">${title}</a>
  <nav aria-label="Main"><a href="/">Runs</a></nav>
  <div id="me" class="me" aria-live="polite"></div>
</header>
<main id="main" tabindex="-1" data-view="${options.view}"${options.runId !== undefined ? ` data-run="${escapeHtml(options.runId)}"` : ''} data-secured="${options.secured}">
  <h1>${heading}</h1>
  <noscript><p>This page needs JavaScript. The same runs are at <code>/runs</code> (JSON).</p></noscript>
</main>
<script src="/assets/app.js" type="module"></script>
</body>
</html>
`;
}
