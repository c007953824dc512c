import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { validateProject } from '@sopflow/core';
import { toMachineConfig } from '@sopflow/compiler';
import type { HostActionCall } from '@sopflow/host';
import { MemoryHost } from '@sopflow/host';
import { deskSop, ticketSop } from '@sopflow/host/contract';
import { SqliteHost } from '@sopflow/host-sqlite';
import { SimulatedClock } from '@sopflow/runtime';
import { createSopServer, type SopServer } from '../src/index.js';
import { chromiumPath, skipBrowserTests } from '../../../scripts/testing/browser.js';

/*
 * The agent page in Debian's Chromium: a CSR signs in, starts an inbound call from
 * examples/customer-service and walks it to its end, keyboard and mouse: a refusal shown in
 * words, typed fields with their allowed values, a hold countdown, the limit firing on the
 * server while the page is open, the journal with who did what.
 */
const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/customer-service');
const TOKEN = 'agent-page-token-0123456789';

describe.skipIf(skipBrowserTests)('the agent page, in Chromium', () => {
  let dir: string;
  let host: SqliteHost;
  let server: SopServer;
  let url: string;
  let browser: Browser;
  const clock = new SimulatedClock();
  const calls: HostActionCall[] = [];

  beforeAll(async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.sop.yaml'))
      .map((f) => ({ file: f, text: readFileSync(path.join(EXAMPLES, f), 'utf8') }));
    const { results, procedures } = validateProject(files);
    const all = Object.fromEntries(procedures);
    const sops = results.map((r) => toMachineConfig(r.sop!, { procedures: all }));
    const actions = Object.fromEntries(
      [...new Set(sops.flatMap((s) => s.meta.sopflow.actions))].map((a) => [
        a,
        (c: HostActionCall) => {
          calls.push(c);
        },
      ]),
    );
    clock.set(Date.now());
    dir = mkdtempSync(path.join(tmpdir(), 'sopflow-page-'));
    host = new SqliteHost({ file: path.join(dir, 'runs.db'), sops, actions, clock, enforceRoles: true });
    server = createSopServer({ host, tokens: [{ token: TOKEN, actor: 'ana', roles: ['CSR'] }] });
    ({ url } = await server.listen({ port: 0 }));
    browser = await chromium.launch({
      executablePath: chromiumPath || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stepText = (page: Page) => page.locator('#step-text');
  async function waitForStep(page: Page, text: RegExp) {
    try {
      await stepText(page).filter({ hasText: text }).waitFor({ timeout: 10_000 });
    } catch (error) {
      throw new Error(`waiting for ${text}: the page shows ${JSON.stringify(await page.locator('main').innerText())}`, { cause: error });
    }
  }

  it('walks an inbound call from sign-in to its outcome', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401|403|422/.test(m.text())) problems.push(m.text());
    });

    // sign in: a labelled field, and the keyboard
    await page.goto(`${url}/`);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Start a run' }).waitFor();
    await page.locator('#me').filter({ hasText: 'Signed in as ana (CSR)' }).waitFor();

    // start a run of the inbound call
    await page.getByLabel('SOP').selectOption('inbound-call');
    await page.getByLabel('Reference (a ticket or call id, optional)').fill('call-42');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/\/runs\/[^/]+\/page$/);
    await waitForStep(page, /Answer the call within three rings/);
    expect(await page.locator('h1').textContent()).toBe('Handling an inbound support call');
    expect(await page.locator('.role').textContent()).toBe('CSR');
    expect(await page.locator('.checks li').allTextContents()).toContain('Wait-time banner read');
    // the SOP's rules of conduct, and the step's time target
    expect(await page.locator('.rules li').allTextContents()).toContain("Speak clearly and slowly, and use the caller's name.");
    expect(await page.locator('.target').textContent()).toMatch(/^Target: done within 0:20/);

    await page.getByRole('button', { name: 'Done' }).click();
    await waitForStep(page, /Greet the caller/);
    // the keyboard: focus lands on the step's first control
    await page.keyboard.press('Enter');
    await waitForStep(page, /Find the customer in the CRM/);

    // a refusal, in words: Done before the required fields
    await page.getByRole('button', { name: 'Done' }).click();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'missing-field' }).waitFor();
    expect(await alert.textContent()).toMatch(/Refused\..*Customer number|customer_number/);

    // typed fields, labelled, with their allowed values
    const issue = page.getByLabel(/Reason for the call/);
    expect(await issue.locator('option').allTextContents()).toEqual([
      'Choose…',
      'billing',
      'technical',
      'account',
      'feedback',
      'complaint',
      'other',
    ]);
    expect(await page.locator('.allowed').first().textContent()).toBe('Allowed: billing, technical, account, feedback, complaint, other');
    expect(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select')).every((el) => (el as HTMLInputElement).labels!.length > 0),
      ),
    ).toBe(true);
    await page.getByLabel(/Customer number/).fill('C-1001');
    await issue.selectOption('technical');
    await page.getByRole('button', { name: 'Done' }).click();
    await waitForStep(page, /Can you help the caller yourself/);
    expect(await page.getByRole('alert').isHidden()).toBe(true);

    // a decision: one button per answer
    expect(await page.getByRole('group', { name: 'Answers' }).getByRole('button').allTextContents()).toEqual([
      'I can help them myself',
      'Another department handles this',
      'It needs the escalation queue',
    ]);
    await page.getByRole('button', { name: 'I can help them myself' }).click();
    await waitForStep(page, /placing them on hold/);

    // the hold: a countdown, then the limit fires on the server with the page open
    await page
      .locator('#limit')
      .filter({ hasText: /^research: (1:00|0:5\d) left, then check back$/ })
      .waitFor();
    clock.increment(61_000);
    await waitForStep(page, /Take the caller off hold/);
    await page.locator('td', { hasText: 'time limit of 60s on “research” ran out' }).waitFor();

    await page.getByRole('button', { name: 'Done' }).click();
    await waitForStep(page, /happy to hold/);
    await page.getByRole('button', { name: 'Yes, they will hold' }).click();
    await waitForStep(page, /placing them on hold/);
    await page.getByRole('button', { name: 'Done' }).click();
    await waitForStep(page, /Resolve the issue/);
    await page.getByRole('button', { name: 'Done' }).click();
    await waitForStep(page, /Record what you learned/);
    await page.getByLabel(/Call disposition/).selectOption('resolved');
    await page.getByRole('button', { name: 'Done' }).click();

    // the end: decided from the recorded disposition
    await page.locator('.outcome').filter({ hasText: 'Outcome: resolved' }).waitFor();
    const journal = await page.locator('section[aria-labelledby="journal-title"] tbody tr').allTextContents();
    expect(
      journal.some((row) => /ana.*recorded customer_number = C-1001/.test(row)),
      journal.join('\n'),
    ).toBe(true);
    expect(journal.some((row) => /the clock.*time limit of 60s/.test(row))).toBe(true);
    expect(journal.at(-1)).toMatch(/the run ended: resolved|the action crm\.save-notes is done/);

    // the server agrees
    const [run] = (await host.list({ status: 'done' })).runs;
    expect(run).toMatchObject({ outcome: 'resolved', meta: { reference: 'call-42' } });
    expect(calls.map((c) => c.action)).toEqual(expect.arrayContaining(['crm.find-customer', 'crm.save-notes']));

    // back on the list, the run shows as done
    await page.goto(`${url}/`);
    await page.getByLabel('Show').selectOption('done');
    await page.locator('td a', { hasText: 'call-42' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('a role the agent lacks is refused on the page, and shown', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Start a run' }).waitFor();
    // policy-review's steps are for other roles than CSR
    const sops = await host.sops();
    const other = sops.find((s) => s.id === 'policy-review');
    expect(other).toBeDefined();
    await page.getByLabel('SOP').selectOption('policy-review');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/\/page$/);
    await page.locator('#step-text').waitFor();
    const role = await page.locator('.role').textContent();
    expect(role).not.toBe('CSR');
    await page.getByRole('group', { name: 'Answers' }).getByRole('button').first().click();
    await page.getByRole('alert').filter({ hasText: 'role-required' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/^Not allowed\./);
    await context.close();
  }, 60_000);

  it('a hand-off shows its target; a waiting step shows its signal and takes it', async () => {
    const desk = toMachineConfig(deskSop(), { procedures: { ticket: ticketSop } });
    const memory = new MemoryHost({
      sops: [desk, toMachineConfig(ticketSop)],
      actions: { 'crm.save-notes': () => {}, 'crm.open-ticket': () => {} },
    });
    const open = createSopServer({ host: memory });
    const { url: local } = await open.listen({ port: 0 });
    const page = await browser.newPage();
    try {
      let r = await memory.start('desk', { id: 'handoff' });
      r = await memory.move(r.id, { record: { customer_id: 'C-1', issue: 'billing' } });
      r = await memory.move(r.id, { complete: true });
      await memory.move(r.id, { choose: 'No' });
      await page.goto(`${local}/runs/handoff/page`);
      await page.locator('.handoff').filter({ hasText: 'Billing' }).waitFor();
      expect(await page.locator('.facts').innerText()).toMatch(/Transfer to\s+Billing/);
      await page.getByRole('button', { name: 'Handed off' }).click();
      await page.locator('.outcome').filter({ hasText: 'Outcome: transferred' }).waitFor();

      let w = await memory.start('desk', { id: 'waiting' });
      w = await memory.move(w.id, { record: { customer_id: 'C-2', issue: 'technical' } });
      w = await memory.move(w.id, { complete: true });
      w = await memory.move(w.id, { record: { case_no: 'K-1' } });
      await memory.move(w.id, { complete: true });
      await page.goto(`${local}/runs/waiting/page`);
      await page.locator('.until').filter({ hasText: 'Waiting for the signal “acknowledged”.' }).waitFor();
      await page.getByRole('button', { name: 'It has happened: acknowledged' }).click();
      await page.locator('#step-text').filter({ hasText: 'Approve the goodwill credit.' }).waitFor();
      expect(
        (await memory.get('waiting', { journal: true })).journal!.some((e) => e.type === 'signal' && e.signal === 'acknowledged'),
      ).toBe(true);
    } finally {
      await page.close();
      await open.close();
      await memory.close();
    }
  }, 60_000);
});
