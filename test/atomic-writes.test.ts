import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { logIn } from "../src/services/login";
import { signUp } from "../src/services/signup";
import { GuardUnavailableError } from "../src/storage/guards";
import { GOOD_PASSWORD } from "./helpers/accounts";
import { testDeps, testRequest } from "./helpers/deps";
import { uniqueEmail } from "./helpers/outbox";

describe("atomic writes and failing dependencies", () => {
  it("leaves no partial account when D1 fails half way through sign-up", async () => {
    const base = testDeps();
    // The audit insert is the last statement of the sign-up batch; make it fail.
    const failingAudit = { ...base.audit, statement: () => base.db.run(sql`INSERT INTO no_such_table VALUES (1)`) } as unknown as typeof base.audit;
    const email = uniqueEmail("partial");
    await expect(signUp({ ...base, audit: failingAudit }, { email, password: GOOD_PASSWORD }, testRequest())).rejects.toThrow();
    expect(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).toBeNull();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM email_tokens WHERE user_id NOT IN (SELECT id FROM users)").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("fails closed when a guard cannot be reached, before hashing anything", async () => {
    const base = testDeps();
    let hashed = false;
    // Stubs whose every RPC rejects, as when the Durable Object cannot be reached.
    const down = new Proxy({}, { get: () => () => Promise.reject(new Error("Durable Object unreachable")) });
    const unreachable = {
      user: () => down,
      login: () => down,
      ip: () => down,
    } as unknown as typeof base.guards;
    const spyHasher = {
      ...base.hasher,
      verify: (...args: Parameters<typeof base.hasher.verify>) => {
        hashed = true;
        return base.hasher.verify(...args);
      },
    };
    await expect(
      logIn({ ...base, guards: unreachable, hasher: spyHasher }, { email: uniqueEmail(), password: "whatever it is" }, testRequest()),
    ).rejects.toBeInstanceOf(GuardUnavailableError);
    expect(hashed).toBe(false);
  });
});
