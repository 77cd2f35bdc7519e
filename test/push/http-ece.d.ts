/**
 * Types for the little the push tests use from `http_ece` (it ships none), `node:crypto` and `node:buffer`
 * (the Worker's tsconfig carries no Node types; the test pool runs with Node compatibility, so they load).
 */
declare module "node:crypto" {
  /** A P-256 key pair as a browser holds it for a push subscription. */
  export interface ECDH {
    generateKeys(): Uint8Array;
    getPublicKey(): Uint8Array;
    getPublicKey(encoding: "base64url"): string;
    computeSecret(otherPublicKey: Uint8Array): Uint8Array;
  }
  export function createECDH(curve: "prime256v1"): ECDH;
}

declare module "node:buffer" {
  /** http_ece reads its input with Buffer methods: hand it a Buffer view of the bytes. */
  export const Buffer: { from(bytes: Uint8Array): Uint8Array };
}

declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  /** Decrypts an RFC 8188 body; with `aes128gcm`, `privateKey` and `authSecret` it is the RFC 8291 receiver. */
  export function decrypt(buffer: Uint8Array, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Uint8Array;
}
