import { env } from "cloudflare:workers";
import { loadConfig } from "../../src/config";
import { NO_EDGE_FACTS } from "../../src/lib/edge-facts";
import { auditLog } from "../../src/services/audit";
import type { Deps } from "../../src/services/deps";
import { outboxSender } from "../../src/services/messages/outbox-sender";
import { createPasswordHasher } from "../../src/services/password-hasher";
import type { RequestContext } from "../../src/services/request-context";
import { openDatabase } from "../../src/storage/db";
import { guards } from "../../src/storage/guards";
import { sessionCache } from "../../src/storage/session-cache";

/** The same dependencies the app builds per request, for calling services directly; override any part. */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  const db = openDatabase(env.DB);
  const clock = () => Date.now();
  return {
    config,
    db,
    sessionCache: sessionCache(env.SESSIONS),
    guards: guards(env),
    sender: outboxSender(db, clock),
    hasher: createPasswordHasher(config.passwordPepper),
    audit: auditLog(db, clock),
    clock,
    defer: () => {},
    ...overrides,
  };
}

export function testRequest(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    ip: `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    userAgent: "vitest",
    country: null,
    edge: NO_EDGE_FACTS,
    requestId: "test",
    locale: "en",
    ...overrides,
  };
}
