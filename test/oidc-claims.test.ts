import { describe, expect, it } from "vitest";
import { userClaims } from "../src/services/oidc/scopes";
import type { UserRow } from "../src/storage/schema";

const user = {
  id: "u1",
  email: "ada@example.com",
  emailVerified: true,
  name: "Ada",
  locale: "en",
  updatedAt: 1_700_000_000_000,
  phone: "+4915112345678",
  phoneVerified: true,
} as UserRow;

describe("standard claims by scope", () => {
  it("releases the verified phone number under the phone scope only", () => {
    expect(userClaims(user, ["openid", "phone"])).toEqual({ sub: "u1", phone_number: "+4915112345678", phone_number_verified: true });
    expect(userClaims(user, ["openid", "email"])).toEqual({ sub: "u1", email: "ada@example.com", email_verified: true });
  });

  it("never releases a number that was not proven by an SMS code", () => {
    expect(userClaims({ ...user, phoneVerified: false }, ["openid", "phone"])).toEqual({ sub: "u1" });
    expect(userClaims({ ...user, phone: null }, ["openid", "phone"])).toEqual({ sub: "u1" });
  });
});
