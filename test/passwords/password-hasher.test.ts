import { describe, expect, it } from "vitest";
import { CURRENT_ITERATIONS, createPasswordHasher, MAX_WORKERS_ITERATIONS, parsePhc } from "../../src/services/password-hasher";

const PEPPER = "test-password-pepper-0123456789abcdef";
const PASSWORD = "plum tractor velvet 1987 orbit";
/** Fewer iterations keep the tests fast; the parameters are what matter here, not the cost. */
const FAST = 1_000;

describe("password hasher", () => {
  const hasher = createPasswordHasher(PEPPER);

  it("verifies the password it hashed, and nothing else", async () => {
    const phc = await hasher.hash(PASSWORD);
    expect(await hasher.verify(PASSWORD, phc)).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify(`${PASSWORD} `, phc)).toEqual({ valid: false, needsRehash: false });
    expect(await hasher.verify("Plum tractor velvet 1987 orbit", phc)).toEqual({ valid: false, needsRehash: false });
    expect(await hasher.verify("", phc)).toEqual({ valid: false, needsRehash: false });
  });

  it("writes a PHC string with version, iterations, a 16-byte salt and a 32-byte hash, salted afresh each time", async () => {
    const first = await hasher.hash(PASSWORD);
    const second = await hasher.hash(PASSWORD);
    expect(first).toMatch(/^\$pbkdf2-sha256\$v=1\$i=100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    const parsed = parsePhc(first);
    expect(parsed?.version).toBe(1);
    expect(parsed?.iterations).toBe(CURRENT_ITERATIONS);
    expect(parsed?.salt.length).toBe(16);
    expect(parsed?.hash.length).toBe(32);
  });

  it("keys the hash with the pepper: a hasher with another pepper cannot verify it", async () => {
    const phc = await createPasswordHasher(PEPPER, FAST).hash(PASSWORD);
    expect((await createPasswordHasher(PEPPER, FAST).verify(PASSWORD, phc)).valid).toBe(true);
    expect(await createPasswordHasher(`${PEPPER}x`, FAST).verify(PASSWORD, phc)).toEqual({ valid: false, needsRehash: false });
  });

  it("normalizes to NFKC, so canonically and compatibly equivalent spellings verify", async () => {
    const fast = createPasswordHasher(PEPPER, FAST);
    // Decomposed "é" (e + U+0301) and the "ﬁ" ligature (U+FB01) on one side; precomposed "é" and "fi" on the other.
    const phc = await fast.hash("cafe\u0301 \ufb01sh ｔｅａ 42");
    expect((await fast.verify("caf\u00e9 fish tea 42", phc)).valid).toBe(true);
    expect((await fast.verify("cafe fish tea 42", phc)).valid).toBe(false);
  });

  it("asks for a rehash when the stored iterations differ from the current ones, and only for the right password", async () => {
    const old = await createPasswordHasher(PEPPER, FAST).hash(PASSWORD);
    expect(parsePhc(old)?.iterations).toBe(FAST);
    expect(await hasher.verify(PASSWORD, old)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(`${PASSWORD}!`, old)).toEqual({ valid: false, needsRehash: false });
    const current = await hasher.hash(PASSWORD);
    expect(await hasher.verify(PASSWORD, current)).toEqual({ valid: true, needsRehash: false });
  });

  it("refuses iteration counts that production Workers reject (local workerd does not, so this is the guard)", () => {
    expect(MAX_WORKERS_ITERATIONS).toBe(100_000);
    expect(CURRENT_ITERATIONS).toBeLessThanOrEqual(MAX_WORKERS_ITERATIONS);
    expect(() => createPasswordHasher(PEPPER, 100_000)).not.toThrow();
    for (const iterations of [100_001, 600_000, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createPasswordHasher(PEPPER, iterations), String(iterations)).toThrow(TypeError);
    }
  });

  it("treats a stored hash above the cap as invalid instead of deriving it", async () => {
    const phc = await hasher.hash(PASSWORD);
    const [, , version, , salt, hash] = phc.split("$");
    expect(await hasher.verify(PASSWORD, `$pbkdf2-sha256$${version}$i=100001$${salt}$${hash}`)).toEqual({ valid: false, needsRehash: false });
  });

  it("answers invalid, without throwing, for anything that is not one of its hashes", async () => {
    const phc = await createPasswordHasher(PEPPER, FAST).hash(PASSWORD);
    const [, , , , salt = "", hash = ""] = phc.split("$");
    const garbage = [
      "",
      "garbage",
      "$",
      "$pbkdf2-sha256$",
      `${phc}\n`,
      ` ${phc}`,
      phc.toUpperCase(),
      `$pbkdf2-sha512$v=1$i=${FAST}$${salt}$${hash}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${hash}`,
      `$pbkdf2-sha256$v=2$i=${FAST}$${salt}$${hash}`,
      `$pbkdf2-sha256$v=0$i=${FAST}$${salt}$${hash}`,
      `$pbkdf2-sha256$v=1$i=-5$${salt}$${hash}`,
      `$pbkdf2-sha256$v=1$i=99999999999999999999999$${salt}$${hash}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}$${hash}$extra`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}$${hash.slice(0, -2)}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}$A`,
      `$pbkdf2-sha256$v=1$i=${FAST}$A$${hash}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}$${hash.replace(/^./, "+")}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}=$${hash}`,
      `$pbkdf2-sha256$v=1$i=${FAST}$${salt}$${hash}AAAA`,
    ];
    for (const stored of garbage) {
      await expect(hasher.verify(PASSWORD, stored), JSON.stringify(stored)).resolves.toEqual({ valid: false, needsRehash: false });
    }
  });

  // Fails today: parsePhc accepts `i=0`, verify passes 0 to PBKDF2, and WebCrypto rejects zero iterations
  // (OperationError), so a corrupt or crafted stored hash makes login throw instead of answering "invalid".
  it("answers invalid, without throwing, for a stored hash with zero iterations", async () => {
    const phc = await createPasswordHasher(PEPPER, FAST).hash(PASSWORD);
    const [, , , , salt = "", hash = ""] = phc.split("$");
    await expect(hasher.verify(PASSWORD, `$pbkdf2-sha256$v=1$i=0$${salt}$${hash}`)).resolves.toEqual({ valid: false, needsRehash: false });
    await expect(hasher.verify(PASSWORD, `$pbkdf2-sha256$v=1$i=000$${salt}$${hash}`)).resolves.toEqual({ valid: false, needsRehash: false });
  });
});
