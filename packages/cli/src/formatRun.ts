import { describeCondition, formatDuration, type FieldValue } from '@sopflow/model';
import type { JournalEntry, SopPath, StepView } from '@sopflow/runtime';
import { summarizeJournal } from '@sopflow/runtime';

/** Control characters out, so an SOP's text cannot send escape codes to the terminal. */
export function clean(text: string): string {
  return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

const show = (v: FieldValue | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => show(x)).join(', ') || '(none)' : JSON.stringify(v);

/** The conduct that holds at every step, shown once when the run starts (and whenever it changes). */
export function formatRules(rules: readonly string[]): string {
  return rules.length > 0 ? `\nRules for the whole procedure:\n${rules.map((r) => `  - ${clean(r)}`).join('\n')}\n` : '';
}

/** The current step as the terminal shows it. */
export function formatStep(view: StepView): string {
  const lines: string[] = [];
  const where = view.path.map((p) => `${p.step} > `).join('');
  const tags = [view.kind, view.role && `role: ${view.role}`, view.segment && `segment: ${view.segment}`].filter(Boolean).join(', ');
  lines.push(`\n== ${clean(where + view.step)} (${clean(tags)})`);
  lines.push(`   ${clean(view.text)}`);
  if (view.note) lines.push(`   note: ${clean(view.note)}`);
  for (const check of view.checks) lines.push(`   [ ] ${clean(check)}`);
  if (view.limit) lines.push(`   time limit: ${formatDuration(view.limit.remaining)} left (then ${clean(view.limit.next)})`);
  if (view.target)
    lines.push(
      `   target: within ${formatDuration(view.target.ms)}${view.target.onTime ? ` (${formatDuration(view.target.remaining)} left)` : ' (already missed)'}`,
    );
  for (const f of view.fields) {
    const type =
      f.type === 'list'
        ? `list of ${f.items?.type ?? 'string'}${f.items?.enum ? ` from ${f.items.enum.map(show).join(', ')}` : ''}, comma-separated`
        : `${f.type}${f.enum ? ` one of ${f.enum.map(show).join(', ')}` : ''}`;
    lines.push(
      `   record ${clean(f.label)} (${f.name}: ${type}${f.required ? ', required' : ''})${f.value !== undefined ? ` = ${clean(show(f.value))}` : ''}`,
    );
  }
  view.choices.forEach((c, i) => lines.push(`   ${i + 1}) ${clean(c)}`));
  return `${lines.join('\n')}\n`;
}

/** The journal as a table: time since start, what happened, where. */
export function formatJournal(journal: readonly JournalEntry[]): string {
  const lines = ['\nJournal:'];
  for (const e of journal) {
    const where = [...(e.path ?? []), e.step ?? ''].filter(Boolean).join(' > ');
    let what: string = e.type;
    if (e.type === 'answer') what += e.when ? ` (${describeCondition(e.when)})` : ` "${e.answer}"`;
    if (e.type === 'recorded')
      what += ` ${Object.entries(e.data ?? {})
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(', ')}`;
    if (e.type === 'limit-fired') what += ` after ${e.after}`;
    if (e.type === 'signal')
      what += ` "${e.signal}"${
        e.data
          ? ` ${Object.entries(e.data)
              .map(([k, v]) => `${k}=${show(v)}`)
              .join(', ')}`
          : ''
      }`;
    if (e.type === 'procedure-started') what += ` ${e.procedure}`;
    if (e.type === 'procedure-ended' || e.type === 'run-ended') what += ` -> ${e.outcome}`;
    if (e.type.startsWith('action-')) what += ` ${e.action}${e.error !== undefined ? `: ${e.error}` : ''}`;
    if (e.type === 'run-cancelled' && e.reason !== undefined) what += `: ${e.reason}`;
    if (e.target !== undefined) what += ` (target ${e.target} ${e.met ? 'met' : 'missed'})`;
    if (e.by !== undefined) what += ` (by ${e.by})`;
    lines.push(`  ${`+${formatDuration(e.ms)}`.padStart(12)}  ${clean(what)}${where ? `  [${clean(where)}]` : ''}`);
  }
  const { perSegment, total, stepTargets, sopTargets } = summarizeJournal(journal);
  const segments = Object.entries(perSegment);
  if (segments.length) lines.push(`Time per segment: ${segments.map(([s, ms]) => `${clean(s)} ${formatDuration(ms)}`).join(', ')}`);
  const targets = [...Object.entries(stepTargets), ...Object.entries(sopTargets).map(([sop, t]) => [`the whole of ${sop}`, t] as const)];
  if (targets.length)
    lines.push(
      `Targets: ${targets.map(([what, t]) => `${clean(what)} within ${clean(t.target)}: ${t.met} met, ${t.missed} missed`).join('; ')}`,
    );
  lines.push(`Total: ${formatDuration(total)}`);
  return `${lines.join('\n')}\n`;
}

/** One path of `sopflow paths`, for people. */
export function formatPath(p: SopPath, n: number): string {
  const decided = new Map<string, string>();
  for (const d of p.decisions) {
    decided.set(
      d.step,
      d.answer !== undefined && !d.when
        ? `"${d.answer}"`
        : d.when
          ? describeCondition(d.when)
          : d.limit
            ? `after ${d.limit}`
            : d.signal !== undefined
              ? `on "${d.signal}"`
              : `-> ${d.outcome}`,
    );
  }
  const steps = p.steps.map((s) => (decided.has(s) ? `${s} [${decided.get(s)}]` : s));
  const records = p.moves
    .filter((m) => m.record)
    .map(
      (m) =>
        `${m.step}: ${Object.entries(m.record!)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(', ')}`,
    );
  const lines = [`${String(n).padStart(3)}. ${p.outcome} (${p.steps.length} steps)`, `     ${steps.join(' > ')}`];
  if (records.length) lines.push(`     recorded: ${records.join('; ')}`);
  return clean(lines.join('\n'));
}
