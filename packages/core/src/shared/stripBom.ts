/** The text without a leading byte order mark (U+FEFF): positions count from the first character after it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
