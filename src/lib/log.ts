type Level = "debug" | "info" | "warn" | "error";

/**
 * One structured JSON line per event. Callers pass only non-secret fields: never a password, token,
 * cookie, code or full email address (mask it with `maskEmail`).
 */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
