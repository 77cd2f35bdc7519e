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
 * Records the `mediation` of every `navigator.credentials.get()` the page makes (in `window.__mediations`),
 * so a test can tell an autofill (conditional) request from a button press.
 */
export async function recordMediations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __mediations: string[] };
    w.__mediations = [];
    const original = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      w.__mediations.push(options?.mediation ?? "optional");
      return original(options);
    };
  });
}

export function mediations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __mediations: string[] }).__mediations);
}
