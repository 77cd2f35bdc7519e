import type { RiskSummary } from "../services/risk/engine";

/** What the authoritative session index knows of one browser session. */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
  /** Time of the last password or second-factor check in this session. */
  authenticatedAt: number;
  userAgent: string | null;
  ip: string | null;
  country: string | null;
  /** RFC 8176 methods of the login that started (or last stepped up) this session. */
  amr?: string[];
  /** The browser's device id (`__Host-gh_device`), so the account knows the device next time. */
  deviceId?: string | null;
  /** The risk decision of the login that started the session. */
  risk?: RiskSummary;
  revokedAt: number | null;
}

/** A session counts while it is neither revoked nor past its idle or absolute timeout. */
export function isSessionActive(record: SessionRecord, now: number): boolean {
  return record.revokedAt === null && now < record.absoluteExpiresAt && now < record.lastSeenAt + record.idleTimeoutMs;
}
