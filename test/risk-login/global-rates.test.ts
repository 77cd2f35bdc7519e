import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GLOBAL_SHARDS, type GlobalRates, readGlobalRates } from "../../src/services/risk/global-rates";
import { guards } from "../../src/storage/guards";
import { Browser } from "../helpers/http";
import { uniqueEmail } from "../helpers/outbox";

const deps = { guards: guards(env), clock: () => Date.now() };

/** Events counted since `before`; the counts are written after the response (waitUntil), so wait up to 5 s for `expected`. */
async function countedSince(before: GlobalRates, kind: keyof GlobalRates, expected: number): Promise<number> {
  let counted = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    counted = Math.round(((await readGlobalRates(deps))[kind] - before[kind]) * 5);
    if (counted >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return counted;
}

describe("service-wide rates (sharded counter)", () => {
  it("counts failed logins from rotating sources, which no per-source counter sees", async () => {
    const before = await readGlobalRates(deps);
    // Ten sources, one attempt each: every per-IP counter sees one failure.
    for (let i = 0; i < 10; i++) await new Browser().post("/login", { email: uniqueEmail("stuffed"), password: "Summer2026!" });
    expect(await countedSince(before, "failuresPerMinute", 10)).toBe(10);
    expect(GLOBAL_SHARDS).toBeGreaterThan(1);
  });

  it("counts sign-up attempts, new and taken addresses alike", async () => {
    const before = await readGlobalRates(deps);
    const email = uniqueEmail("rate");
    await new Browser().post("/signup", { email, password: "maple tortoise umbrella 42" });
    await new Browser().post("/signup", { email, password: "maple tortoise umbrella 42" });
    expect(await countedSince(before, "signupsPerMinute", 2)).toBe(2);
  });
});
