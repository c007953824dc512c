import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, loadMermaidBundle, renderHtml, renderMermaid } from '../src/index.js';
import { escapeInlineScript, jsonStringForScript } from '../src/escapeHtml.js';
import { hostile, refund, supportCall } from './fixtures/sops.js';

const scripts = (html: string) => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));

describe('renderHtml', () => {
  const html = renderHtml(supportCall);

  it('is one self-contained page: mermaid inlined, no external URL anywhere', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const [data, bundle, app] = scripts(html);
    expect(data!.attrs).toBe(' type="application/json" id="sopflow-data"');
    expect(bundle!.body).toBe(escapeInlineScript(loadMermaidBundle()));
    expect(bundle!.body.length).toBeGreaterThan(1_000_000);
    expect(app!.body).toContain("securityLevel: 'strict'");
    const page = html.replace(bundle!.body, '');
    expect(/<(script|link|img|iframe)[^>]*\s(src|href)=/i.test(page)).toBe(false);
    expect(/https?:\/\//.test(page)).toBe(false);
  });

  it('has a strict CSP: no network, only its own scripts by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    const hashes = scripts(html)
      .slice(1)
      .map((s) => `'sha256-${createHash('sha256').update(s.body).digest('base64')}'`);
    expect(csp).toContain(`script-src ${hashes.join(' ')};`);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('carries the diagram source and the storage key data as JSON', () => {
    const data = JSON.parse(scripts(html)[0]!.body);
    expect(data).toEqual({ id: 'inbound-call', version: '1.3.0', mermaid: renderMermaid(supportCall) });
  });

  it('has the document sections and one checkbox per step and per sub-check', () => {
    expect(html).toContain('<h1>Handling an inbound support call</h1>');
    expect(html).toContain('<dt>Department</dt><dd>Customer Service</dd>');
    expect(html).toMatch(/<section id="purpose"><h2>Purpose<\/h2>/);
    expect(html).toContain('<tr><td>CSR</td><td>Customer service representative.</td></tr>');
    expect(html.match(/<li id="step-\d+"/g)).toHaveLength(9);
    // the bare end is no box to tick
    expect(html.match(/data-check="\d+"/g)).toHaveLength(8);
    expect(html).toContain('<li id="step-9" data-step-kind="end" class="untickable">');
    expect(html.match(/data-check="\d+\.\d+"/g)).toHaveLength(2);
    expect(html).toContain('<li>If “Yes” → <a href="#step-4">step 4</a></li>');
    expect(html).toContain('<li>Automatically, if <em>issue</em> is <em>technical</em> → <a href="#step-7">step 7</a></li>');
  });

  it('lets tall diagrams grow with the page instead of clipping them in a frame', () => {
    expect(html).toMatch(/\.diagram \{ overflow-x: auto; overflow-y: visible;/);
    expect(html).not.toMatch(/max-height: 90vh/);
  });

  it('shares one copy of mermaid when asked (mermaidSrc): the page stays small, its policy allows its own origin', () => {
    const page = renderHtml(supportCall, { mermaidSrc: 'sopflow-mermaid.min.js' });
    expect(page.length).toBeLessThan(40_000);
    const [data, bundle, app] = scripts(page);
    expect(data!.attrs).toBe(' type="application/json" id="sopflow-data"');
    expect(bundle!.attrs).toBe(' src="sopflow-mermaid.min.js"');
    expect(bundle!.body).toBe('');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    expect(csp).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(app!.body).digest('base64')}';`);
    // a URL that is not a plain relative one is not used: the bundle is inlined
    expect(renderHtml(supportCall, { mermaidSrc: 'https://cdn.example/mermaid.js', mermaidScript: '/* bundle */' })).toContain(
      '<script>/* bundle */</script>',
    );
  });

  it('shows the rules of conduct at the top, and links sub-procedures by their title', () => {
    const page = renderHtml(
      { ...refund, rules: ['Speak <clearly>.'] },
      {
        mermaidScript: '/* b */',
        procedures: { 'verify-identity': { title: 'Verifying the caller' } },
        linkProcedures: (id) => `${id}.html`,
      },
    );
    expect(page).toContain(
      '<section id="rules" class="rules"><h2>Rules</h2><p>These hold at every step.</p><ul>\n<li>Speak &lt;clearly&gt;.</li>\n</ul></section>',
    );
    expect(page.indexOf('id="rules"')).toBeLessThan(page.indexOf('id="flowchart"'));
    expect(page).toContain('Follow the procedure <a href="verify-identity.html">Verifying the caller</a>');
  });

  it('passes diagram options and procedure links through', () => {
    const linked = renderHtml(refund, { mermaidScript: '/* bundle */', groupBy: 'role', linkProcedures: (id) => `${id}.html` });
    const data = JSON.parse(scripts(linked)[0]!.body);
    expect(data.mermaid).toContain('subgraph g0 ["agent"]');
    expect(data.mermaid).toContain('click s0 href "verify-identity.html"');
  });

  it('escapes all SOP text, in the body and in the data block', () => {
    const out = renderHtml(hostile, { mermaidScript: '/* bundle */' });
    expect(out).toContain('<h1># Title &lt;script&gt;window.pwned=true&lt;/script&gt; [x](javascript&#58;alert(1))</h1>');
    expect(scripts(out)).toHaveLength(3);
    expect(out).not.toMatch(/javascript:|<img/i);
    const data = JSON.parse(scripts(out)[0]!.body);
    expect(data.id).toBe(hostile.id);
  });
});

describe('HTML escaping helpers', () => {
  it('escapeHtml escapes markup and quotes and breaks scheme colons', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a> JavaScript :`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt; JavaScript &#58;',
    );
  });

  it('jsonStringForScript cannot close the element and parses back to the text', () => {
    const text = '</script><!-- "quote" \\ \u2028 javascript: 你好 🙂';
    const literal = jsonStringForScript(text);
    expect(literal).not.toMatch(/<|>|javascript:/);
    expect(JSON.parse(literal)).toBe(text);
  });

  it('escapeInlineScript keeps </script and <!-- from ending or bending the element', () => {
    expect(escapeInlineScript('a("</script>"); b(/<!--/); c("<SCRIPT")')).toBe('a("\\x3C/script>"); b(/\\x3C!--/); c("\\x3CSCRIPT")');
  });
});
