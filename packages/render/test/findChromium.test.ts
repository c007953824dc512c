import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, findChromium, renderSvg } from '../src/index.js';
import { supportCall } from './fixtures/sops.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeExecutable(name: string, folder = dir): string {
  const file = path.join(folder, name);
  writeFileSync(file, '#!/bin/sh\nexit 1\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findChromium', () => {
  it('takes an executable given as chromiumPath', () => {
    const exe = fakeExecutable('my-chrome');
    expect(findChromium({ chromiumPath: exe })).toBe(exe);
  });

  it('searches PATH for chromium, chromium-browser, google-chrome in that order', () => {
    const a = mkdtempSync(path.join(dir, 'a-'));
    const b = mkdtempSync(path.join(dir, 'b-'));
    fakeExecutable('google-chrome', a);
    const chromium = fakeExecutable('chromium', b);
    expect(findChromium({ env: { PATH: [a, b].join(path.delimiter) } })).toBe(chromium);
    expect(findChromium({ env: { PATH: a } })).toBe(path.join(a, 'google-chrome'));
  });

  it('ignores files that are not executable', () => {
    const c = mkdtempSync(path.join(dir, 'c-'));
    writeFileSync(path.join(c, 'chromium'), '');
    expect(() => findChromium({ env: { PATH: c } })).toThrow(ChromiumNotFoundError);
  });

  it('says how to install one when none is found, and never downloads', () => {
    const error = (() => {
      try {
        findChromium({ env: { PATH: '' } });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect(error!.message).toMatch(/No Chromium found on PATH/);
    expect(error!.message).toMatch(/apt-get install chromium/);
    expect(error!.message).toMatch(/--chromium <path>/);
    expect(() => findChromium({ chromiumPath: path.join(dir, 'missing') })).toThrow(/Chromium not found at .*missing/);
  });

  it('renderSvg rejects with that error rather than launching anything', async () => {
    await expect(renderSvg(supportCall, { env: { PATH: '' } })).rejects.toThrow(ChromiumNotFoundError);
  });

  it('renderSvg rejects clearly when the executable cannot start', async () => {
    await expect(renderSvg(supportCall, { chromiumPath: fakeExecutable('broken-chrome') })).rejects.toThrow(/could not be started/);
  });
});
