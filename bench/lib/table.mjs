// The results table: metric | sopflow | peer | ratio | target | PASS/MISS, as a Markdown table
// (readable in a terminal, pasteable into docs/performance.md).
const COLUMNS = ['metric', 'sopflow', 'peer', 'ratio', 'target', 'result'];

export function formatTable(rows) {
  const cells = rows.map((r) =>
    [r.metric, r.sopflow, r.peer || '—', r.ratio || '—', r.target || '—', r.pass === true ? 'PASS' : r.pass === false ? 'MISS' : '—'].map(
      (c) => String(c ?? '').replace(/\|/g, '\\|'),
    ),
  );
  const header = ['metric', 'sopflow', 'peer', 'ratio', 'target', 'PASS/MISS'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
export { COLUMNS };
