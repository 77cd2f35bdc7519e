// css-tree ships no types (and @types/css-tree is not installed): only the part the sanitizer uses.
declare module "css-tree" {
  export interface CssNode {
    type: string;
    name?: string;
    value?: unknown;
    property?: string;
    loc?: unknown;
    [key: string]: unknown;
  }
  export interface ListLike {
    remove(item: unknown): void;
  }
  export interface WalkContext {
    // biome-ignore lint/suspicious/noExplicitAny: the library's own list type
    [key: string]: any;
  }
  export function parse(
    source: string,
    options?: { context?: string; onParseError?: (error: Error) => void; parseValue?: boolean; parseCustomProperty?: boolean },
  ): CssNode;
  export function generate(ast: CssNode): string;
  export function walk(ast: CssNode, visitor: (this: WalkContext, node: CssNode, item: unknown, list: ListLike | null) => void): void;
}
