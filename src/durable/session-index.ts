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
  revokedAt: number | null;
}

/** A session counts while it is neither revoked nor past its idle or absolute timeout. */
export function isSessionActive(record: SessionRecord, now: number): boolean {
  return record.revokedAt === null && now < record.absoluteExpiresAt && now < record.lastSeenAt + record.idleTimeoutMs;
}
