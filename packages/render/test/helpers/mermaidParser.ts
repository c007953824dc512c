interface MermaidApi {
  parse(text: string): Promise<unknown>;
}

let loaded: Promise<MermaidApi> | undefined;

/**
 * mermaid's own parser, as an oracle. In plain Node, mermaid's label sanitiser needs a DOM
 * (`DOMPurify.addHook is not a function`), so a jsdom window is installed before mermaid loads.
 */
export function mermaidParser(): Promise<MermaidApi> {
  loaded ??= (async () => {
    const g = globalThis as unknown as { window?: unknown };
    if (g.window === undefined) {
      // jsdom 26 (jsdom 30+ needs Node 22); it ships no types, hence the string-typed specifier and the cast
      const specifier: string = 'jsdom';
      const { JSDOM } = (await import(specifier)) as { JSDOM: new (html: string) => { window: unknown } };
      g.window = new JSDOM('').window;
    }
    const mod = await import('mermaid');
    return mod.default;
  })();
  return loaded;
}

/** Parses with mermaid; throws mermaid's own error (with the diagram attached) when it fails. */
export async function parseMermaid(text: string): Promise<void> {
  const mermaid = await mermaidParser();
  try {
    await mermaid.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`mermaid rejected the diagram: ${message}\n--- diagram ---\n${text}`, { cause: error });
  }
}
