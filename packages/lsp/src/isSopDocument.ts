import { SOP_FILE, uriToPath } from './workspace/Workspace.js';

/** The modeline that points yaml-language-server at sopflow's schema, or the format's own first key. */
const SOP_MARK = /^(?:#[ \t]*yaml-language-server[ \t]*:[ \t]*\$schema=\S*sop\.schema\.json|sopflow[ \t]*:)/m;

/**
 * Whether a document is an SOP, so its editor gets sopflow's diagnostics: a `*.sop.yaml` /
 * `*.sop.yml` name (as `sopflow validate <folder>` finds them), or, for a YAML file named
 * otherwise or not saved yet, the schema modeline or a top-level `sopflow:` key near its top.
 * Every other document (a workflow, a compose file…) is left alone, even when an editor sends
 * all YAML files to this server.
 */
export function isSopDocument(uri: string, text: string): boolean {
  const file = uriToPath(uri) ?? uri;
  if (SOP_FILE.test(file.replace(/[?#].*$/, ''))) return true;
  return SOP_MARK.test(text.slice(0, 4096));
}
