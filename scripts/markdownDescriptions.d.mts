/** The path of schemas/sop.schema.json. */
export declare const SCHEMA_FILE: string;
/** A description as Markdown: code spans kept, Markdown's own characters escaped elsewhere. */
export declare function toMarkdown(description: string): string;
/** Whether a description has a code span. */
export declare function hasCodeSpan(text: string): boolean;
/** The schema text with every markdownDescription in step with its description. */
export declare function withMarkdownDescriptions(text: string): string;
