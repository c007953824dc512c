import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { ensureChromium, findChromiumOnPath } from '../testing/chromium.mjs';

/**
 * The test command's Chromium step (scripts/testing/chromium.mjs) against a fake apt-get on PATH,
 * so every branch runs without touching the machine: a fresh machine whose package lists are
 * empty (install fails, update, install again), a machine without network (back-off), no root.
 * A real install (`apt-get install -y chromium` as root) was checked by hand: 40 s on this machine.
 */
const base = mkdtempSync(path.join(tmpdir(), 'sopflow-chromium-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A folder with a fake apt-get that logs its calls; `install` succeeds (creating bin/chromium) only after `update` when `needsUpdate`. */
function fakeMachine(name: string, { needsUpdate = false, network = true } = {}) {
  const dir = path.join(base, name);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const calls = path.join(dir, 'calls.log');
  writeFileSync(
    path.join(bin, 'apt-get'),
    `#!/bin/sh
echo "$*" >> "${calls}"
case "$*" in
  *update*) ${network ? `touch "${dir}/updated"; exit 0` : 'echo "Temporary failure resolving deb.debian.org" >&2; exit 100'} ;;
  *install*) if ${needsUpdate ? `[ -f "${dir}/updated" ]` : 'true'} && ${network ? 'true' : 'false'}; then printf '#!/bin/sh\\n' > "${bin}/chromium"; chmod +x "${bin}/chromium"; exit 0; fi
    echo "E: Unable to locate package chromium" >&2; exit 100 ;;
esac
`,
  );
  chmodSync(path.join(bin, 'apt-get'), 0o755);
  // PATH: the fake apt-get and the two tools it uses, never the machine's own chromium or sudo
  const tools = path.join(dir, 'tools');
  mkdirSync(tools);
  for (const tool of ['touch', 'chmod'])
    symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(tools, tool));
  const env = { PATH: `${bin}:${tools}` };
  return { dir, bin, env, calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []) };
}

describe('scripts/testing/chromium.mjs', () => {
  const quiet = () => {};

  it('finds chromium on PATH and does nothing else', () => {
    const m = fakeMachine('present');
    writeFileSync(path.join(m.bin, 'chromium'), '#!/bin/sh\n');
    chmodSync(path.join(m.bin, 'chromium'), 0o755);
    expect(ensureChromium({ env: m.env, uid: 0, stateDir: m.dir, log: quiet })).toEqual({ chromium: path.join(m.bin, 'chromium') });
    expect(m.calls()).toEqual([]);
  });

  it('a fresh machine: install fails on empty package lists, so it updates them and installs again', () => {
    const m = fakeMachine('fresh', { needsUpdate: true });
    expect(findChromiumOnPath(m.env)).toBeUndefined();
    const lines: string[] = [];
    const r = ensureChromium({ env: m.env, uid: 0, stateDir: m.dir, log: (l: string) => lines.push(l) });
    expect(r).toEqual({ chromium: path.join(m.bin, 'chromium') });
    const calls = m.calls();
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatch(/^install -y -q .*chromium$/);
    expect(calls[1]).toMatch(/^update /);
    expect(calls[2]).toMatch(/^install -y -q .*chromium$/);
    expect(lines[0]).toMatch(/installing Debian's chromium/);
    expect(lines.at(-1)).toMatch(/installed .*chromium/);
    expect(readFileSync(path.join(m.dir, 'chromium-install.log'), 'utf8')).toContain('Unable to locate package');
  });

  it('no network: says why, and does not try again for six hours unless the browser is required', () => {
    const m = fakeMachine('offline', { network: false });
    const first = ensureChromium({ env: m.env, uid: 0, stateDir: m.dir, log: quiet });
    expect(first.chromium).toBeUndefined();
    expect(first.reason).toMatch(/apt-get failed \(see .*chromium-install\.log\)/);
    expect(m.calls()).toHaveLength(2);
    const again = ensureChromium({ env: m.env, uid: 0, stateDir: m.dir, log: quiet });
    expect(again.reason).toMatch(/failed 0 min ago .*delete .*chromium-install-failed\.json/);
    expect(m.calls()).toHaveLength(2);
    ensureChromium({ env: { ...m.env, SOPFLOW_REQUIRE_BROWSER: '1' }, uid: 0, stateDir: m.dir, log: quiet });
    expect(m.calls()).toHaveLength(4);
  });

  it('not root, no password-less sudo, or SOPFLOW_BROWSER_INSTALL=0: no attempt, a reason', () => {
    const m = fakeMachine('user');
    expect(ensureChromium({ env: m.env, uid: 1000, stateDir: m.dir, log: quiet }).reason).toBe('not root and no password-less sudo');
    expect(ensureChromium({ env: { ...m.env, SOPFLOW_BROWSER_INSTALL: '0' }, uid: 0, stateDir: m.dir, log: quiet }).reason).toBe(
      'SOPFLOW_BROWSER_INSTALL=0',
    );
    expect(ensureChromium({ env: { PATH: path.join(base, 'nothing') }, uid: 0, stateDir: m.dir, log: quiet }).reason).toMatch(/no apt-get/);
    expect(m.calls()).toEqual([]);
  });
});
