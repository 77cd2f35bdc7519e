import type { RiskSummary } from "../services/risk/engine";
import type { SessionBinding } from "../services/risk/session-binding";
/** The edge copy of a browser session in KV (`session:<id>`). Holds only a hash of the cookie secret. */
export interface CachedSession {
  userId: string;
  secretHash: string;
  createdAt: number;
  lastSeenAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
  authenticatedAt: number;
  /** Absent in entries written before MFA existed (password logins). */
  amr?: string[];
  /** The risk decision of the login that started the session (absent before the risk engine). */
  risk?: RiskSummary;
  /** Where and on which device the session started (absent before the risk engine): checked on every use. */
  binding?: SessionBinding;
}

/** KV refuses TTLs under 60 seconds. */
const MIN_KV_TTL_SECONDS = 60;

export function sessionCache(kv: KVNamespace) {
  return {
    get: (id: string): Promise<CachedSession | null> => kv.get<CachedSession>(`session:${id}`, "json"),
    /** Writes the entry to expire with the session (idle or absolute, whichever comes first). */
    put: (id: string, session: CachedSession, now: number): Promise<void> => {
      const expiresAt = Math.min(session.absoluteExpiresAt, session.lastSeenAt + session.idleTimeoutMs);
      const ttl = Math.max(MIN_KV_TTL_SECONDS, Math.ceil((expiresAt - now) / 1000));
      return kv.put(`session:${id}`, JSON.stringify(session), { expirationTtl: ttl });
    },
    delete: (id: string): Promise<void> => kv.delete(`session:${id}`),
  };
}

export type SessionCache = ReturnType<typeof sessionCache>;
