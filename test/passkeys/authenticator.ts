import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

export const RP_ID = "localhost";
export const ORIGIN = "http://localhost:8787";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

/** What a test may bend in one ceremony, to play an attacker or a broken authenticator. */
export interface Bend {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  userPresent?: boolean;
  userVerified?: boolean;
  counter?: number;
  userHandle?: string | null;
  backupEligible?: boolean;
  /** The BS flag; defaults to the BE flag (a synced passkey is backed up). */
  backupState?: boolean;
}

/**
 * A software passkey made with WebCrypto: an ES256 key, authenticator data with the RP ID hash, flags and
 * counter, "none" attestation and a real clientDataJSON, so the server verifies it exactly like a browser's.
 */
export class SoftAuthenticator {
  counter = 0;
  userHandle: string | null = null;
  private keys: CryptoKeyPair | null = null;
  readonly credentialId: Uint8Array<ArrayBuffer>;

  constructor(readonly options: { credentialIdBytes?: number; backupEligible?: boolean; counterStep?: number } = {}) {
    this.credentialId = crypto.getRandomValues(new Uint8Array(options.credentialIdBytes ?? 32));
  }

  get id(): string {
    return isoBase64URL.fromBuffer(this.credentialId);
  }

  /** Answers `navigator.credentials.create()` for these options. */
  async create(options: PublicKeyCredentialCreationOptionsJSON, bend: Bend = {}): Promise<RegistrationResponseJSON> {
    this.keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    this.userHandle = options.user.id;
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(jwk.x ?? "")],
      [-3, isoBase64URL.toBuffer(jwk.y ?? "")],
    ]);
    const attested = concat(
      new Uint8Array(16),
      new Uint8Array([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      new Uint8Array(isoCBOR.encode(coseKey)),
    );
    const authData = concat(await this.authDataHead(bend.rpId ?? options.rp.id ?? RP_ID, this.flags(bend) | FLAG_AT, bend.counter ?? this.counter), attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]) as never,
    );
    const clientDataJSON = this.clientData(bend.type ?? "webauthn.create", bend.challenge ?? options.challenge, bend.origin ?? ORIGIN);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ["internal"],
      },
    };
  }

  /** Answers `navigator.credentials.get()`; each use moves the counter on by `counterStep` (default 1). */
  async get(options: PublicKeyCredentialRequestOptionsJSON, bend: Bend = {}): Promise<AuthenticationResponseJSON> {
    if (!this.keys) throw new Error("create() first");
    if (bend.counter === undefined) this.counter += this.options.counterStep ?? 1;
    const authData = await this.authDataHead(bend.rpId ?? options.rpId ?? RP_ID, this.flags(bend), bend.counter ?? this.counter);
    const clientDataJSON = this.clientData(bend.type ?? "webauthn.get", bend.challenge ?? options.challenge, bend.origin ?? ORIGIN);
    const signed = concat(authData, new Uint8Array(await crypto.subtle.digest("SHA-256", clientDataJSON)));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed));
    const userHandle = bend.userHandle === undefined ? this.userHandle : bend.userHandle;
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(derSignature(raw)),
        ...(userHandle ? { userHandle } : {}),
      },
    };
  }

  private flags(bend: Bend): number {
    const backupEligible = bend.backupEligible ?? this.options.backupEligible ?? false;
    return (
      (bend.userPresent === false ? 0 : FLAG_UP) |
      (bend.userVerified === false ? 0 : FLAG_UV) |
      (backupEligible ? FLAG_BE : 0) |
      ((bend.backupState ?? backupEligible) ? FLAG_BS : 0)
    );
  }

  private async authDataHead(rpId: string, flags: number, counter: number): Promise<Uint8Array<ArrayBuffer>> {
    const rpIdHash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rpId)));
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, counter);
    return concat(rpIdHash, new Uint8Array([flags]), count);
  }

  private clientData(type: string, challenge: string, origin: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false })));
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** base64url of text or bytes (what a user handle or a random challenge looks like on the wire). */
export function b64url(value: string | Uint8Array): string {
  return isoBase64URL.fromBuffer(new Uint8Array(typeof value === "string" ? new TextEncoder().encode(value) : value));
}

/** WebAuthn carries ES256 signatures DER-encoded; WebCrypto makes raw r‖s. */
function derSignature(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = new Uint8Array(bytes.slice(start));
    const padded = (trimmed[0] ?? 0) & 0x80 ? concat(new Uint8Array([0]), trimmed) : trimmed;
    return concat(new Uint8Array([0x02, padded.length]), padded);
  };
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}
