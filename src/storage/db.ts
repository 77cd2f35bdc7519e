import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

/** Drizzle over the D1 binding (cheap: one per request is fine). */
export function openDatabase(d1: D1Database): Database {
  return drizzle(d1, { schema });
}

/** True when D1 rejected a write because of a UNIQUE constraint. */
export function isUniqueViolation(error: unknown): boolean {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.some((message) => message.includes("UNIQUE constraint failed"));
}
