import type { Config } from "../../config";
import type { SignupMethod } from "../branding/branding-model";

/**
 * The sign-up methods this deployment can carry out: all of them, except SMS when no SMS provider is
 * configured (production without `SMS_API_URL`). The branding then picks among these and orders them.
 */
export function offeredSignupMethods(config: Pick<Config, "sms">): SignupMethod[] {
  return ["password", "passkey", "email_code", "magic_link", ...(config.sms.enabled ? (["sms"] as const) : []), "social"];
}
