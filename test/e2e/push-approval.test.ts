import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createVerifiedAccount, loggedInClient } from "./support/accounts";
import { browsersClosedAfterEach, logInWithForm } from "./support/browser";
import { connectUrl } from "./support/http-client";

/** http_ece (RFC 8188 encrypted content coding, and its RFC 8291 Web Push use) ships no types. */
const ece = createRequire(import.meta.url)("http_ece") as {
  decrypt(buffer: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Buffer;
};

interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A push service of our own on 127.0.0.1: it keeps every message it receives and answers 201 Created,
 * as a real one does. Headless Chromium cannot subscribe to its vendor's push service offline, so the
 * test is the "browser": it holds the subscription's private key and decrypts what arrives.
 */
class LocalPushService {
  readonly received: ReceivedPush[] = [];
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async next(path: string, timeoutMs = 15_000): Promise<ReceivedPush> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((push) => push.path === path);
      if (found) {
        this.received.splice(this.received.indexOf(found), 1);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`no push arrived at ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A subscription as a browser would make it: an ECDH P-256 key pair and a 16-byte auth secret. */
function newSubscription(port: number) {
  const key = createECDH("prime256v1");
  key.generateKeys();
  const path = `/push/${randomBytes(12).toString("hex")}`;
  return { key, path, endpoint: `http://127.0.0.1:${port}${path}`, p256dh: key.getPublicKey("base64url"), auth: randomBytes(16).toString("base64url") };
}

/**
 * Decrypts what the push service received as the browser does (RFC 8291): `aes128gcm`, salt and sender key
 * in the body, with the subscription's private key and auth secret. Nothing of the older `aesgcm` draft.
 */
function decryptPush(push: ReceivedPush, subscription: ReturnType<typeof newSubscription>): Record<string, unknown> {
  expect(push.headers["content-encoding"]).toBe("aes128gcm");
  expect(push.headers["content-type"]).toBe("application/octet-stream");
  expect(push.headers.encryption).toBeUndefined();
  expect(push.headers["crypto-key"]).toBeUndefined();
  // Padded to a constant 4096 bytes, whatever the text.
  expect(push.body.byteLength).toBe(4096);
  const plaintext = ece.decrypt(push.body, { version: "aes128gcm", privateKey: subscription.key, authSecret: subscription.auth });
  return JSON.parse(plaintext.toString("utf8")) as Record<string, unknown>;
}

/** Checks the VAPID Authorization header (RFC 8292): signed by the key the enrolment page published, for this push service. */
function checkVapid(push: ReceivedPush, vapidPublicKey: string, port: number): void {
  const [, token = "", k = ""] = /^vapid t=([^,]+), k=(.+)$/.exec(String(push.headers.authorization)) ?? [];
  expect(k).toBe(vapidPublicKey);
  const [header = "", claims = "", signature = ""] = token.split(".");
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
    format: "jwk",
  });
  expect(verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))).toBe(true);
  const jwt = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { aud: string; exp: number; sub: string };
  // The library builds for https endpoints; the local development endpoint is reached over http (see docs).
  expect(jwt.aud).toBe(`https://127.0.0.1:${port}`);
  expect(jwt.exp * 1000).toBeLessThan(Date.now() + 24 * 3600 * 1000);
  expect(push.headers.ttl).toBe("120");
}

async function adminPolicy(policy?: string): Promise<string> {
  const response = await fetch(`${connectUrl()}/admin/v1/settings/mfa`, {
    method: policy ? "PUT" : "GET",
    headers: { authorization: `Bearer ${inject("adminToken")}`, "content-type": "application/json" },
    body: policy ? JSON.stringify({ policy }) : undefined,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { policy: string }).policy;
}

describe("push approval through a real, encrypted Web Push", () => {
  const pushService = new LocalPushService();
  const open = browsersClosedAfterEach();
  let previousPolicy = "optional";

  beforeAll(async () => {
    await pushService.start();
    previousPolicy = await adminPolicy();
  });
  afterAll(async () => {
    await adminPolicy(previousPolicy);
    await pushService.stop();
  });

  /** An account with a device enrolled the way the page script does it (the form, with a session), logging in in Chromium. */
  async function loginWaitingForPush(label: string) {
    const account = await createVerifiedAccount(label);
    // Enrolment needs a session: log in while no second factor is asked for, then require one.
    await adminPolicy("off");
    const client = await loggedInClient(account);
    const enrolPage = await client.page("/account/push");
    const vapidPublicKey = /data-vapid-key="([A-Za-z0-9_-]+)"/.exec(enrolPage.html)?.[1] ?? "";
    expect(vapidPublicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const subscription = newSubscription(pushService.port);
    const enrolled = await client.post("/account/push", {
      endpoint: subscription.endpoint,
      p256dh: subscription.p256dh,
      auth: subscription.auth,
      name: "E2E phone",
    });
    expect(enrolled.status).toBe(303);
    expect(enrolled.headers.get("location")).toBe("/account/push?notice=enrolled");
    await adminPolicy("required");

    const login = await open();
    await login.page.goto("/login");
    await login.page.fill("#email", account.email);
    await login.page.fill("#password", account.password);
    await Promise.all([login.page.waitForURL("**/login/mfa"), login.page.click('form[action="/login"] button[type="submit"]')]);
    await login.page.goto("/login/mfa?method=push");
    await Promise.all([login.page.waitForURL("**/login/mfa/push"), login.page.click('form[action="/login/mfa/push/send"] button[type="submit"]')]);
    const shown = Number(await login.page.textContent('[data-testid="push-number"]'));
    const push = await pushService.next(subscription.path);
    checkVapid(push, vapidPublicKey, pushService.port);
    const payload = decryptPush(push, subscription);
    return { account, login, shown, payload };
  }

  it("the login page continues on its own once the number shown is picked on the approving device", async () => {
    const { account, login, shown, payload } = await loginWaitingForPush("push-approve");
    expect(payload).toMatchObject({ title: "Login request", url: expect.stringMatching(/\/push\/approve\?token=[A-Za-z0-9_-]{43}$/) });
    expect(String(payload.body)).toContain("Chrome · Linux");
    expect(String(payload.body)).not.toContain(String(shown));

    const approver = await open();
    await approver.page.goto(String(payload.url));
    expect(await approver.page.textContent('[data-testid="push-device"]')).toBe("Chrome · Linux");
    const choices = await approver.page.locator("button[data-choice]").evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-choice")));
    expect(choices).toHaveLength(3);
    expect(choices).toContain(String(shown));
    await approver.page.click(`button[data-choice="${shown}"]`);
    await expect.poll(() => approver.page.textContent(".notice")).toContain("Login approved");

    // No reload, no click: the waiting page's script sees the approval and completes the login.
    await login.page.waitForURL("**/account", { timeout: 20_000 });
    await expect.poll(() => login.page.textContent('[data-testid="account-email"]')).toBe(account.email);
    // The link is single use.
    await approver.page.goto(String(payload.url));
    expect(await approver.page.textContent(".notice")).toContain("expired or was already answered");
  });

  it("a denial shows on the waiting login page without a reload, and the login does not happen", async () => {
    const { login, payload } = await loginWaitingForPush("push-deny");
    const approver = await open();
    await approver.page.goto(String(payload.url));
    await approver.page.click('button[name="action"][value="deny"]');
    await expect.poll(() => approver.page.textContent(".notice")).toContain("Login denied");
    await expect.poll(() => login.page.textContent("#push-state"), { timeout: 20_000 }).toBe("The login was denied on your device.");
    expect(new URL(login.page.url()).pathname).toBe("/login/mfa/push");
    // No session: the account page sends the browser back to the second step, which still waits for a factor.
    await login.page.goto("/account");
    expect(new URL(login.page.url()).pathname).toBe("/login/mfa");
  });

  it("the enrolment page's service worker registers under the page's CSP and the enrol button is live", async () => {
    await adminPolicy("off");
    const account = await createVerifiedAccount("push-sw");
    const { page } = await open();
    await logInWithForm(page, account);
    await page.goto("/account/push");
    await expect.poll(() => page.isEnabled('#push-enrol button[type="submit"]')).toBe(true);
    const scope = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.register("/push/sw.js", { scope: "/push/" });
      return registration.scope;
    });
    expect(new URL(scope).pathname).toBe("/push/");
  });
});
