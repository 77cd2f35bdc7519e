import { describe, expect, it } from "vitest";
import { sanitizeCss } from "../../src/services/branding/css-sanitizer";

/** Whatever survives must not be able to load a script, a stylesheet or an insecure resource, or leave <style>. */
function expectHarmless(css: string): void {
  expect(css).not.toMatch(/<|@import|javascript:|expression\s*\(|behavior|-moz-binding|url\((?!https:\/\/|data:image\/png)/i);
}

describe("custom CSS sanitizing", () => {
  it("keeps ordinary styling, media queries and https images", () => {
    const input = '.card{padding:8px;border-radius:4px}@media (max-width:600px){.card{padding:4px}}h1{background:url("https://cdn.example/bg.png")}';
    const { css, removed } = sanitizeCss(input);
    expect(css).toBe(".card{padding:8px;border-radius:4px}@media (max-width:600px){.card{padding:4px}}h1{background:url(https://cdn.example/bg.png)}");
    expect(removed).toEqual([]);
  });

  it("drops url(javascript:…) in every spelling, and non-https URLs", () => {
    for (const input of [
      "a{background:url(javascript:alert(1))}",
      'a{background:url("javascript:alert(1)")}',
      "a{background:url('JaVaScRiPt:alert(1)')}",
      'a{background:url("java\\73 cript:alert(1)")}',
      "a{background:url(http://insecure.example/x.png)}",
      "a{background:url(data:image/svg+xml;base64,PHN2Zz4=)}",
      "a{--bg:url(javascript:alert(1))}b{background:var(--bg)}",
      '@font-face{font-family:X;src:url("http://evil.example/x.woff")}',
    ]) {
      const { css, removed } = sanitizeCss(`${input} .keep{color:red}`);
      expectHarmless(css);
      expect(css).toContain(".keep{color:red}");
      expect(removed.length).toBeGreaterThan(0);
    }
  });

  it("cannot be used to close the style element: </style><script> does not survive", () => {
    for (const input of [
      "</style><script>alert(1)</script>",
      "a{color:red}</style><script>alert(1)</script>",
      'a{content:"</style><script>alert(1)</script>"}',
      "a{font-family:'</sTyLe><img src=x onerror=alert(1)>'}",
      "/* </style><script>alert(1)</script> */ a{color:red}",
    ]) {
      const { css } = sanitizeCss(input);
      expect(css).not.toMatch(/<\/style/i);
      expect(css).not.toContain("<");
    }
  });

  it("drops @import, @namespace and @charset but keeps the rest", () => {
    const { css, removed } = sanitizeCss(
      '@import url("https://evil.example/x.css");@import "y.css";@namespace svg url(http://www.w3.org/2000/svg);a{color:red}',
    );
    expect(css).toBe("a{color:red}");
    expect(removed).toContain("@import");
  });

  it("drops expression(), behavior and -moz-binding", () => {
    const { css, removed } = sanitizeCss("a{width:expression(alert(1));color:blue}b{behavior:url(x.htc)}c{-moz-binding:url(https://x.example/x.xml#y)}");
    expectHarmless(css);
    expect(css).toContain("color:blue");
    expect(removed).toEqual(expect.arrayContaining(["expression()", "behavior", "-moz-binding"]));
  });

  it("drops functions that fetch by string (image-set, src)", () => {
    const { css } = sanitizeCss('a{background-image:image-set("http://evil.example/x.png" 1x);color:red}');
    expect(css).not.toContain("evil");
  });

  it("regenerates from the tree: text the parser does not understand is not copied through", () => {
    const { css } = sanitizeCss("a{color:red} }}} @@@ garbage { b{color:blue}");
    expect(css).not.toContain("garbage");
    expect(css).not.toContain("@@");
  });
});
