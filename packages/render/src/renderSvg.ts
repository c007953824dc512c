import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { renderMermaid, type MermaidOptions } from './renderMermaid.js';
import { escapeInlineScript } from './escapeHtml.js';
import { loadMermaidBundle } from './mermaidBundle.js';

export interface ChromiumOptions {
  /** the Chromium (or Chrome) executable; default: `chromium`, `chromium-browser`, `google-chrome` found on PATH */
  chromiumPath?: string;
  /** the environment searched for PATH (default: `process.env`) */
  env?: Record<string, string | undefined>;
}

export type SvgOptions = ChromiumOptions & MermaidOptions;

/** Thrown when no Chromium can be found or started. sopflow never downloads a browser. */
export class ChromiumNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChromiumNotFoundError';
  }
}

/** Executable names searched on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const INSTALL_HINT =
  "install Debian's `chromium` package (apt-get install chromium) or pass its path with --chromium <path> (option `chromiumPath`); sopflow never downloads a browser";

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium executable to use: the given path (checked), else the first of `CHROMIUM_NAMES` on PATH. */
export function findChromium(options: ChromiumOptions = {}): string {
  if (options.chromiumPath !== undefined && options.chromiumPath !== '') {
    if (isExecutable(options.chromiumPath)) return options.chromiumPath;
    throw new ChromiumNotFoundError(`Chromium not found at ${options.chromiumPath}: ${INSTALL_HINT}`);
  }
  const env = options.env ?? process.env;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new ChromiumNotFoundError(`No Chromium found on PATH (looked for ${CHROMIUM_NAMES.join(', ')}): ${INSTALL_HINT}`);
}

/** The arguments Chromium is started with: headless, no sandbox, no network side traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** In the SVG's text (never its markup), `javascript:`-like schemes lose their bare colon. */
function neutraliseSchemes(svg: string): string {
  return svg.replace(/>([^<]+)</g, (_, text: string) => `>${text.replace(/(javascript|vbscript)(\s*):/gi, '$1$2&#58;')}<`);
}

/** Draws many diagrams with one browser launch. Close it when done. */
export interface SvgRenderer {
  render(input: SopOrGraph, options?: MermaidOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium (via playwright-core, imported only here) with mermaid's browser
 * bundle loaded in a blank page; `render` then draws one SOP's flowchart to an SVG string.
 */
export async function createSvgRenderer(options: ChromiumOptions = {}): Promise<SvgRenderer> {
  const executablePath = findChromium(options);
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ChromiumNotFoundError(`Chromium at ${executablePath} could not be started (${reason}): ${INSTALL_HINT}`);
  }
  try {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="host"></div></body></html>');
    await page.addScriptTag({ content: escapeInlineScript(loadMermaidBundle()) });
    await page.evaluate(() => {
      (globalThis as unknown as { mermaid: { initialize(c: unknown): void } }).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: 'default',
        // a file of its own: natural width and height rather than 100% of a container
        flowchart: { useMaxWidth: false },
      });
    });
    let count = 0;
    return {
      async render(input, mermaidOptions = {}) {
        const source = renderMermaid(toGraph(input), mermaidOptions);
        const id = `sopflow-svg-${count++}`;
        const svg = await page.evaluate(
          async ({ source, id }) => {
            const mermaid = (
              globalThis as unknown as { mermaid: { render(id: string, text: string, host?: Element): Promise<{ svg: string }> } }
            ).mermaid;
            const host = document.getElementById('host') ?? undefined;
            const result = await mermaid.render(id, source, host);
            return result.svg;
          },
          { source, id },
        );
        return `${neutraliseSchemes(svg)}\n`;
      },
      async close() {
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Draws an SOP's flowchart to an SVG string with headless Chromium. Rejects with a
 * `ChromiumNotFoundError` when no Chromium is installed (it never downloads one). To draw many
 * diagrams, use `createSvgRenderer` and launch the browser once.
 */
export async function renderSvg(input: SopOrGraph, options: SvgOptions = {}): Promise<string> {
  const renderer = await createSvgRenderer(options);
  try {
    return await renderer.render(input, options);
  } finally {
    await renderer.close();
  }
}
