import { type CssNode, generate, type ListLike, parse, walk } from "css-tree";

/** The most custom CSS an operator may store (after sanitizing, the page carries it inline on every request). */
export const MAX_CUSTOM_CSS_LENGTH = 20_000;

/** At-rules that only style; everything else (`@import`, `@namespace`, `@charset`, unknown ones) is dropped. */
const ALLOWED_AT_RULES = new Set(["media", "supports", "keyframes", "-webkit-keyframes", "font-face", "layer", "container"]);

/** Properties that run code or bind behaviour in some browser. */
const FORBIDDEN_PROPERTIES = new Set(["behavior", "-moz-binding", "-ms-behavior"]);

/** Functions that run script (old IE) or fetch a resource from a string that the `Url` check would not see. */
const FORBIDDEN_FUNCTIONS = new Set(["expression", "src", "image-set", "-webkit-image-set", "element", "-moz-element", "paint"]);

export interface SanitizedCss {
  css: string;
  /** What was removed, for the operator (the admin API returns it). */
  removed: string[];
}

/**
 * Custom CSS reduced to what only styles: parsed with css-tree, every node that could load a script, a
 * stylesheet or a non-https resource is removed, and the CSS is generated again from the tree, so text the
 * parser did not understand (`</style><script>`) never reaches the page. A `<` cannot survive either: it is
 * escaped in the output, so nothing can close the `<style>` element.
 */
export function sanitizeCss(source: string): SanitizedCss {
  const removed: string[] = [];
  const ast = parse(source, { parseValue: true, parseCustomProperty: true, onParseError: () => removed.push("unparsable input") });
  const doomed = new Set<CssNode>();
  walk(ast, function (node) {
    // The nearest enclosing declaration, else rule, else at-rule, is what goes when something inside is bad.
    const owner: CssNode | null = this.declaration ?? this.rule ?? this.atrule ?? null;
    const reject = (why: string, target: CssNode = owner ?? node) => {
      if (!doomed.has(target)) {
        doomed.add(target);
        removed.push(why);
      }
    };
    switch (node.type) {
      case "Raw":
        reject("unparsable input");
        break;
      case "Atrule":
        if (!ALLOWED_AT_RULES.has(String(node.name).toLowerCase())) reject(`@${node.name}`, node);
        break;
      case "Declaration":
        if (FORBIDDEN_PROPERTIES.has(String(node.property).toLowerCase())) reject(String(node.property), node);
        break;
      case "Function":
        if (FORBIDDEN_FUNCTIONS.has(String(node.name).toLowerCase())) reject(`${node.name}()`);
        break;
      case "Url":
        if (!isAllowedUrl(String(node.value))) reject("url() that is not https or a data: image");
        break;
      case "String":
      case "Identifier":
        if (/javascript:|vbscript:/i.test(String(node.value ?? node.name).replace(/\s+/g, ""))) reject("javascript:");
        break;
    }
  });
  removeNodes(ast, doomed);
  const css = generate(ast).replace(/</g, "\\3c ");
  return { css, removed: [...new Set(removed)] };
}

function isAllowedUrl(value: string): boolean {
  const url = value.trim().toLowerCase();
  // SVG may carry script; raster data images cannot.
  if (/^data:image\/(png|jpeg|gif|webp|avif);/.test(url)) return true;
  try {
    return new URL(value.trim()).protocol === "https:";
  } catch {
    return false;
  }
}

function removeNodes(ast: CssNode, doomed: Set<CssNode>): void {
  if (doomed.size === 0) return;
  walk(ast, (node, item, list: ListLike | null) => {
    if (doomed.has(node) && list) list.remove(item);
  });
}
