import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { base64UrlDecode } from "../../lib/encoding";

/** Posted credentials larger than this are garbage (a real one is a few hundred bytes; IDs are capped at 1,023). */
const MAX_JSON_CHARS = 16 * 1024;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The browser's `PublicKeyCredential.toJSON()` from a form field, shape-checked from `unknown`: the
 * library verifies the content, this only makes sure it gets strings where it expects them. Null on garbage.
 */
export function parseRegistrationJson(text: string | undefined): RegistrationResponseJSON | null {
  const value = parse(text);
  const response = value?.response;
  if (!value || !isRecord(response) || !isB64(response.clientDataJSON) || !isB64(response.attestationObject)) return null;
  if (response.transports !== undefined && !(Array.isArray(response.transports) && response.transports.every((t) => typeof t === "string"))) return null;
  return value as unknown as RegistrationResponseJSON;
}

export function parseAuthenticationJson(text: string | undefined): AuthenticationResponseJSON | null {
  const value = parse(text);
  const response = value?.response;
  if (!value || !isRecord(response) || !isB64(response.clientDataJSON) || !isB64(response.authenticatorData) || !isB64(response.signature)) return null;
  if (response.userHandle !== undefined && response.userHandle !== null && !isB64(response.userHandle)) return null;
  return value as unknown as AuthenticationResponseJSON;
}

/** The challenge the browser signed over (from `clientDataJSON`), the key of its stored ceremony. */
export function challengeOf(response: { response: { clientDataJSON: string } }): string | null {
  const bytes = base64UrlDecode(response.response.clientDataJSON);
  if (!bytes) return null;
  try {
    const clientData: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isRecord(clientData) && isB64(clientData.challenge) && clientData.challenge.length <= 128 ? clientData.challenge : null;
  } catch {
    return null;
  }
}

/** The user handle a discoverable assertion carries, decoded to the account id it was made from. */
export function userIdOfHandle(handle: string | undefined | null): string | null {
  if (!handle) return null;
  const bytes = base64UrlDecode(handle);
  return bytes ? new TextDecoder().decode(bytes) : null;
}

function parse(text: string | undefined): Record<string, unknown> | null {
  if (!text || text.length > MAX_JSON_CHARS) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || value.type !== "public-key" || !isB64(value.id) || !isB64(value.rawId) || value.id !== value.rawId) return null;
    return value;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isB64(value: unknown): value is string {
  return typeof value === "string" && B64URL.test(value);
}
