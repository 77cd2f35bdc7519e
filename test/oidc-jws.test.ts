import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signJwt, verifyOwnJwt } from "../src/services/oidc/jwt";
import { getKeyRing, SIGNING_ALGS } from "../src/services/oidc/keys";
import { testDeps } from "./helpers/deps";

const ISSUER = "https://id.example";

/** Our JWS assembly (services/oidc/jwt.ts) checked by an independent implementation: jose against the published JWKS. */
describe("JWTs we sign", () => {
  for (const alg of SIGNING_ALGS) {
    it(`${alg}: verify with jose against our JWKS, with the active key's kid and the given typ`, async () => {
      const ring = await getKeyRing(testDeps());
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: ISSUER, sub: "user-1", aud: "client-1", iat: now, exp: now + 60, name: "Zoë \u{1F600}" };
      const token = await signJwt(ring, alg, "at+jwt", payload);
      const header = decodeProtectedHeader(token);
      expect(header).toEqual({ alg, kid: ring.signing.get(alg)?.kid, typ: "at+jwt" });
      const verified = await jwtVerify(token, createLocalJWKSet(JSON.parse(ring.jwksJson)), {
        issuer: ISSUER,
        audience: "client-1",
        algorithms: [alg],
        typ: "at+jwt",
      });
      expect(verified.payload).toEqual(payload);
      expect(await verifyOwnJwt(ring, token, { issuer: ISSUER, typ: "at+jwt", now: Date.now() })).toEqual(payload);
      if (alg === "ES256") expect(atob(token.split(".")[2]?.replace(/-/g, "+").replace(/_/g, "/") ?? "")).toHaveLength(64);
      // One changed byte of the payload breaks the signature.
      const [head, body, signature] = token.split(".");
      const tampered = `${head}.${body?.slice(0, -2)}${body?.endsWith("A") ? "B" : "A"}${body?.slice(-1)}.${signature}`;
      expect(await verifyOwnJwt(ring, tampered, { issuer: ISSUER, typ: "at+jwt", now: Date.now() })).toBeNull();
    });
  }

  it("keeps the typ of each token kind apart (cached headers are per key and typ)", async () => {
    const ring = await getKeyRing(testDeps());
    const idToken = await signJwt(ring, "ES256", "JWT", { iss: ISSUER });
    const accessToken = await signJwt(ring, "ES256", "at+jwt", { iss: ISSUER });
    expect(decodeProtectedHeader(idToken).typ).toBe("JWT");
    expect(decodeProtectedHeader(accessToken).typ).toBe("at+jwt");
  });
});
