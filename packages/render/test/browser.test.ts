import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { collapseWhitespace } from '../src/escapeMermaid.js';
import { CHROMIUM_ARGS } from '../src/renderSvg.js';
import { createSvgRenderer, findChromium, renderHtml, renderSvg, type SvgRenderer } from '../src/index.js';
import { refund, supportCall, hostile } from './fixtures/sops.js';
import { skipBrowserTests } from '../../../scripts/testing/browser.js';

/**
 * Real headless Chromium (Debian's `chromium`, found on PATH; the README's test command installs
 * it when it can). Without one these tests are skipped, and the run ends with a loud line saying
 * so; with SOPFLOW_REQUIRE_BROWSER=1 (CI) they run and FAIL with findChromium's message.
 */
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (skipBrowserTests) return;
  const executablePath = findChromium();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  dir = mkdtempSync(path.join(tmpdir(), 'sopflow-render-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
  requests: string[];
}

async function openHtml(name: string, html: string): Promise<Opened> {
  const file = path.join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('#diagram[data-rendered="true"], #diagram[data-rendered="error"]', { timeout: 20_000 });
  return { page, errors, dialogs, requests };
}

describe.skipIf(skipBrowserTests)('the HTML page in headless Chromium', () => {
  it('draws the diagram offline from a file:// URL with one node per step and no console errors', async () => {
    const { page, errors, requests } = await openHtml('support-call', renderHtml(supportCall));
    expect(await page.getAttribute('#diagram', 'data-rendered')).toBe('true');
    const ids = await page.$$eval('#diagram g.node', (els) => els.map((e) => e.id));
    const stepIds = ids.filter((id) => /-s\d+-\d+$/.test(id));
    expect(stepIds).toHaveLength(supportCall.instructions.length);
    expect(new Set(stepIds.map((id) => /-(s\d+)-\d+$/.exec(id)![1])).size).toBe(supportCall.instructions.length);
    expect(await page.locator('#diagram svg').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('fits a wide diagram to the page width on demand', async () => {
    const { page, errors } = await openHtml('support-call-fit', renderHtml(supportCall));
    const widthOf = () => page.$eval('#diagram svg', (svg) => svg.getBoundingClientRect().width);
    const frame = await page.$eval('#diagram', (el) => el.clientWidth);
    await page.click('#fit');
    expect(await page.getAttribute('#diagram', 'class')).toContain('fit');
    expect(await widthOf()).toBeLessThanOrEqual(frame);
    expect(await page.textContent('#fit')).toBe('Actual size');
    await page.click('#fit');
    expect(await page.getAttribute('#diagram', 'class')).not.toContain('fit');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps checkbox state across a reload (localStorage per SOP id and version)', async () => {
    const { page, errors } = await openHtml('refund', renderHtml(refund));
    const boxes = page.locator('input[type=checkbox][data-check]');
    expect(await boxes.count()).toBe(refund.instructions.length);
    await page.locator('input[data-check="2"]').check();
    expect(await page.locator('input[data-check="2"]').isChecked()).toBe(true);
    expect(await page.textContent('#progress')).toBe(`1 of ${refund.instructions.length} ticked`);
    await page.reload();
    await page.waitForSelector('#diagram[data-rendered="true"]');
    expect(await page.locator('input[data-check="2"]').isChecked()).toBe(true);
    expect(await page.locator('input[data-check="1"]').isChecked()).toBe(false);
    await page.locator('input[data-check="2"]').uncheck();
    expect(await page.locator('input[data-check="2"]').isChecked()).toBe(false);
    await page.click('#reset');
    expect(await page.textContent('#progress')).toBe(`0 of ${refund.instructions.length} ticked`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows hostile text as text: labels read back exactly, no script runs, no dialog, no link', async () => {
    const { page, errors, dialogs } = await openHtml('hostile', renderHtml(hostile));
    expect(await page.getAttribute('#diagram', 'data-rendered')).toBe('true');
    const labels = await page.$$eval('#diagram g.node', (els) =>
      els.filter((e) => /-s\d+-\d+$/.test(e.id)).map((e) => [/-s(\d+)-\d+$/.exec(e.id)![1], e.textContent ?? '']),
    );
    expect(labels).toHaveLength(hostile.instructions.length);
    for (const [index, text] of labels) {
      const step = hostile.instructions[Number(index)]!;
      const expected = collapseWhitespace(step.do ?? step.ask ?? '');
      // (a word joiner, invisible, breaks up mermaid's own entity markers ﬂ° and ¶ß)
      if (expected) expect(collapseWhitespace(text!.replace(/\u2060/g, ''))).toBe(expected);
    }
    const edgeLabels = await page.$$eval('#diagram .edgeLabel', (els) => els.map((e) => e.textContent ?? ''));
    expect(edgeLabels.map(collapseWhitespace)).toContain(collapseWhitespace(hostile.instructions[1]!.choices![0]!.answer!));
    expect(await page.locator('#diagram script, #diagram a, #diagram img, #diagram iframe').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.textContent('#step-1 .text')).toBe(hostile.instructions[0]!.do!.replace(/\s+/g, ' ').trim());
    await page.close();
  });

  it('links a sub-procedure node to its page only when asked, with a plain relative href', async () => {
    const { page, errors } = await openHtml('linked', renderHtml(refund, { linkProcedures: (id) => `./${id}.html` }));
    const hrefs = await page.$$eval('#diagram a', (els) => els.map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href')));
    expect(hrefs).toEqual(['./verify-identity.html']);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(skipBrowserTests)('renderSvg in headless Chromium', () => {
  it('draws an SVG with one node per step', async () => {
    const svg = await renderSvg(supportCall);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const ids = [...svg.matchAll(/<g class="node[^"]*" id="([^"]+)"/g)].map((m) => m[1]!).filter((id) => /-s\d+-\d+$/.test(id));
    expect(ids).toHaveLength(supportCall.instructions.length);
    expect(svg).not.toMatch(/<script/i);
  });

  it('draws many SVGs with one browser launch', async () => {
    const renderer: SvgRenderer = await createSvgRenderer();
    try {
      const [a, b, c] = [
        await renderer.render(supportCall),
        await renderer.render(refund, { groupBy: 'role' }),
        await renderer.render(hostile),
      ];
      for (const [svg, sop] of [
        [a, supportCall],
        [b, refund],
        [c, hostile],
      ] as const) {
        const nodes = [...svg.matchAll(/<g class="node[^"]*" id="([^"]+)"/g)].filter((m) => /-s\d+-\d+$/.test(m[1]!));
        expect(nodes).toHaveLength(sop.instructions.length);
      }
      expect(b).toContain('supervisor');
      expect(c).not.toMatch(/<script|javascript:/i);
    } finally {
      await renderer.close();
    }
  });
});
