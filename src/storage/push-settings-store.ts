import { eq } from "drizzle-orm";
import type { Database } from "./db";
import { settings } from "./mfa-schema";

const VAPID_KEY = "push.vapid";

/** The generated development VAPID key pair in the `settings` table: `{publicKey, sealedPrivateJwk}`. */
export function pushSettingsStore(db: Database) {
  return {
    readVapid: async (): Promise<{ publicKey: string; sealedPrivateJwk: string } | undefined> => {
      const row = await db.select().from(settings).where(eq(settings.key, VAPID_KEY)).get();
      const value = row?.value as { publicKey?: unknown; sealedPrivateJwk?: unknown } | undefined;
      return typeof value?.publicKey === "string" && typeof value.sealedPrivateJwk === "string"
        ? { publicKey: value.publicKey, sealedPrivateJwk: value.sealedPrivateJwk }
        : undefined;
    },
    /** First writer wins (two isolates may generate at once); everyone then reads the stored pair. */
    insertVapidIfAbsent: (value: { publicKey: string; sealedPrivateJwk: string }, now: number) =>
      db.insert(settings).values({ key: VAPID_KEY, value, updatedAt: now }).onConflictDoNothing().run(),
  };
}
