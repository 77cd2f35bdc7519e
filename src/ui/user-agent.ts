/** "Firefox on Windows"-style label for the sessions list; `null` when the agent says nothing we know. */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = [
    [/Edg\//, "Edge"],
    [/OPR\//, "Opera"],
    [/Firefox\//, "Firefox"],
    [/Chrome\//, "Chrome"],
    [/Safari\//, "Safari"],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined;
  const os = [
    [/Windows/, "Windows"],
    [/Android/, "Android"],
    [/iPhone|iPad|iOS/, "iOS"],
    [/Mac OS X|Macintosh/, "macOS"],
    [/Linux/, "Linux"],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? null;
}
