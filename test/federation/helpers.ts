import { env } from "cloudflare:workers";
import { admin } from "../admin/helpers";

export { admin };

/** A fresh provider id per call, so tests never collide on the shared database. */
export function uniqueProviderId(label = "idp"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** An ES256 key in PKCS#8 PEM, like the .p8 file Apple issues. */
export async function applePrivateKey(): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const base64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN PRIVATE KEY-----\n${base64.match(/.{1,64}/g)?.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

/** The stored row, straight from D1 (to check what is at rest). */
export function storedProvider(id: string): Promise<Record<string, unknown> | null> {
  return env.DB.prepare("SELECT * FROM identity_providers WHERE id = ?").bind(id).first();
}
