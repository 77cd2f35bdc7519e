import type { Theme } from "../../ui/theme";
import { SIGNUP_METHODS, type SignupMethod } from "./branding-model";

/**
 * The sign-up methods a page shows, in the app's order (`signup_methods`): only those the deployment
 * offers (`available`), each once. A method the branding leaves out is not shown; an empty result falls
 * back to `available` in its own order, so a page never ends up without a way to sign up.
 */
export function signupMethodsToShow(theme: Pick<Theme, "signupMethods">, available: readonly SignupMethod[]): SignupMethod[] {
  const offered = new Set(available);
  const chosen = theme.signupMethods.filter(
    (method): method is SignupMethod => (SIGNUP_METHODS as readonly string[]).includes(method) && offered.has(method as SignupMethod),
  );
  const unique = [...new Set(chosen)];
  return unique.length > 0 ? unique : [...available];
}
