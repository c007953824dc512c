/**
 * An upper bound on how deep a YAML text nests, in one linear pass and without parsing: per
 * line, the indentation plus every indicator that can open a level on that line (`- `, `: `,
 * `? `), plus the depth of open brackets. Quotes are not understood, so it may overestimate
 * (a refusal of a harmless file), never underestimate: the outline parse is skipped above a
 * bound, so a hostile file can never overflow the parser's stack (see stack-notes: a second
 * overflow can abort Node).
 */
export function depthBound(text: string): number {
  let max = 0;
  let brackets = 0;
  let line = 0;
  let indent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      if (line + brackets > max) max = line + brackets;
      line = 0;
      indent = true;
      continue;
    }
    if (indent && (c === 32 || c === 9)) {
      line++;
      continue;
    }
    indent = false;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      brackets++;
      if (line + brackets > max) max = line + brackets;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      if (brackets > 0) brackets--;
    } else if (c === 45 /* - */ || c === 58 /* : */ || c === 63 /* ? */) {
      // an indicator only when a blank or the end of the line follows
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 10;
      if (next === 32 || next === 9 || next === 10 || next === 13) line++;
    }
  }
  return Math.max(max, line + brackets);
}
