import path from 'node:path';

/** What `sopflow render --to` can produce. */
export const RENDER_FORMATS = ['mermaid', 'checklist', 'markdown', 'html', 'svg'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export function isRenderFormat(value: unknown): value is RenderFormat {
  return typeof value === 'string' && (RENDER_FORMATS as readonly string[]).includes(value);
}

/** The file extension each format is written with (`-o dir` and `--beside`). */
export const RENDER_EXTENSIONS: Record<RenderFormat, string> = {
  mermaid: '.mmd',
  checklist: '.checklist.md',
  markdown: '.md',
  html: '.html',
  svg: '.svg',
};

const SOP_SUFFIX = /\.sop\.ya?ml$/i;
const YAML_SUFFIX = /\.ya?ml$/i;

/** The SOP's name for `-o dir`: its file name without `.sop.yaml` (or `.yaml`): `a.sop.yaml` -> `a`. */
export function renderName(file: string): string {
  const base = path.basename(file);
  return base.replace(SOP_SUFFIX, '').replace(YAML_SUFFIX, '') || base;
}

/** Where `-o dir` writes a file's render: `dir/<name><ext>`. */
export function outPath(file: string, format: RenderFormat, dir: string): string {
  return path.join(dir, `${renderName(file)}${RENDER_EXTENSIONS[format]}`);
}

/** Where `--beside` writes a file's render: next to it, `x.sop.yaml` -> `x.sop.md` (`.mmd`, `.checklist.md`, `.html`, `.svg`). */
export function besidePath(file: string, format: RenderFormat): string {
  const base = path.basename(file);
  const stem = YAML_SUFFIX.test(base) ? base.replace(YAML_SUFFIX, '') : base;
  return path.join(path.dirname(file), `${stem}${RENDER_EXTENSIONS[format]}`);
}

/** A relative URL from one written file to another (for linking sub-procedure nodes). */
export function relativeUrl(from: string, to: string): string {
  const rel = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
