import type { Config } from "../config";
import type { Database } from "../storage/db";
import type { Guards } from "../storage/guards";
import type { SessionCache } from "../storage/session-cache";
import type { AuditLog } from "./audit";
import type { Clock } from "./clock";
import type { MessageSender } from "./messages/message-sender";
import type { PasswordHasher } from "./password-hasher";

/** Everything a service may touch, passed in so tests can substitute any part (a clock, a sender). */
export interface Deps {
  config: Config;
  db: Database;
  sessionCache: SessionCache;
  guards: Guards;
  sender: MessageSender;
  hasher: PasswordHasher;
  audit: AuditLog;
  clock: Clock;
  /** Runs work after the response (`ctx.waitUntil`), so slow or absent work cannot be timed from outside. */
  defer(work: Promise<unknown>): void;
}
