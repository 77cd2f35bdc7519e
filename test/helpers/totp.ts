import * as OTPAuth from "otpauth";

/**
 * The authenticator app of the tests: an independent RFC 6238 generator (otpauth, not the server's
 * @oslojs/otp), `offsetSteps` 30-second steps from now. No I/O, so both the worker and the e2e tests use it.
 */
export function totpCode(secret: string, offsetSteps = 0): string {
  return OTPAuth.TOTP.generate({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}
