/** Browser and operating-system family of a User-Agent string: enough to tell "Firefox on Windows" from "Safari on iPhone". */
export interface UserAgentFamily {
  browser: string;
  os: string;
}

// Order matters: Edge and Opera carry "Chrome", Chrome carries "Safari", so the specific names are tried first.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\//, "Firefox"],
  [/\b(?:Chrome|CriOS|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\b(?:curl|Wget|python-requests|Go-http-client|okhttp|node-fetch|undici|axios)\b/i, "Script"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

function firstMatch(value: string, table: [RegExp, string][]): string {
  return table.find(([pattern]) => pattern.test(value))?.[1] ?? "Other";
}

export function userAgentFamily(userAgent: string | null): UserAgentFamily {
  const value = (userAgent ?? "").slice(0, 512);
  return { browser: firstMatch(value, BROWSERS), os: firstMatch(value, SYSTEMS) };
}

export function describeFamily(family: UserAgentFamily): string {
  return `${family.browser} on ${family.os}`;
}
