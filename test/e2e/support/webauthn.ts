import type { CDPSession, Page } from "playwright-core";

/** The two kinds of authenticator the issue asks for: a platform one (Touch ID-like) and a roaming USB security key. */
export type AuthenticatorKind = "internal" | "usb";

export interface VirtualAuthenticator {
  id: string;
  cdp: CDPSession;
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; signCount: number; userHandle?: string }[]>;
  remove(): Promise<void>;
}

/**
 * A virtual WebAuthn authenticator in this page's Chromium (Chrome DevTools Protocol): CTAP2 with resident
 * keys and user verification that always succeeds, presence simulated, so ceremonies run without a person.
 */
export async function addVirtualAuthenticator(page: Page, kind: AuthenticatorKind): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: kind,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    id: authenticatorId,
    cdp,
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    remove: async () => {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    },
  };
}

/**
 * Records, in Node, the `mediation` of every `navigator.credentials.get()` the page makes, so a test can
 * tell an autofill (conditional) request from a button press even after the page navigated away.
 */
export async function recordMediations(page: Page): Promise<string[]> {
  const recorded: string[] = [];
  await page.exposeFunction("__recordMediation", (mediation: string) => {
    recorded.push(mediation);
  });
  await page.addInitScript(() => {
    const record = (window as unknown as { __recordMediation: (mediation: string) => void }).__recordMediation;
    const original = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      record(options?.mediation ?? "optional");
      return original(options);
    };
  });
  return recorded;
}

/**
 * Makes the page's browser report no autofill support for passkeys: Chromium's virtual authenticator
 * answers a conditional request at once (no person picks from a list), which would log in before a test
 * gets to press the button it wants to test.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}
