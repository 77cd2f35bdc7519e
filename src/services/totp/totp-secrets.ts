import { totpStore } from "../../storage/totp-store";
import type { Deps } from "../deps";
import { decryptSecret, encryptSecret } from "../oidc/key-encryption";

/** The AES-GCM purpose (HKDF `info` and associated data) of authenticator-app secrets: no other ciphertext decrypts as one. */
const PURPOSE = "totp-secret";

type SecretDeps = Pick<Deps, "db" | "config">;

export function sealTotpSecret(deps: SecretDeps, secret: string): Promise<string> {
  return encryptSecret(deps.config.keyEncryptionKey, PURPOSE, secret);
}

export function openTotpSecret(deps: SecretDeps, sealed: string): Promise<string> {
  return decryptSecret(deps.config.keyEncryptionKey, PURPOSE, sealed);
}

/** The user's TOTP row with its secret decrypted, or null when there is none. */
export async function loadTotp(deps: SecretDeps, userId: string) {
  const row = await totpStore(deps.db).find(userId);
  if (!row) return null;
  return { row, secret: await openTotpSecret(deps, row.encryptedSecret) };
}
