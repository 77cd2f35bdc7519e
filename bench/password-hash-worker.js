// The worker that bench/password-hash.mjs runs inside workerd (through Miniflare): one operation per request.
// It is bundled with esbuild, so it hashes with the production code in src/services/password-hasher.ts.
// The two .wasm imports are not files: the bench extracts hash-wasm's embedded binaries and hands them to
// Miniflare as CompiledWasm modules, the way wrangler bundles a `.wasm` import for production.
import { argon2id } from "hash-wasm";
import { createPasswordHasher } from "../src/services/password-hasher.ts";
import { checkNewPassword } from "../src/services/password-policy.ts";
import argon2Wasm from "./argon2.wasm";
import blake2bWasm from "./blake2b.wasm";

const PASSWORD = "correct horse battery staple";
const encoder = new TextEncoder();
let hasher;
let pepperKey;

/** HMAC-SHA-256 of the NFKC password under the pepper: the same pre-hash the production hasher applies before PBKDF2. */
async function peppered(password, pepper) {
  pepperKey ??= crypto.subtle.importKey("raw", encoder.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", await pepperKey, encoder.encode(password.normalize("NFKC"))));
}

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * hash-wasm compiles its embedded base64 binaries with `WebAssembly.compile(bytes)`, which Workers refuse
 * ("Wasm code generation disallowed by embedder"). Instantiating an already compiled `WebAssembly.Module` is
 * allowed, so this hands hash-wasm the precompiled module whose SHA-256 matches the bytes it asks to compile.
 */
let shimInstalled = false;
function usePrecompiledWasm(digests) {
  if (shimInstalled) return;
  shimInstalled = true;
  const modules = new Map([
    [digests.argon2, argon2Wasm],
    [digests.blake2b, blake2bWasm],
  ]);
  const compile = WebAssembly.compile;
  WebAssembly.compile = async (bytes) => {
    const module = modules.get(hex(await crypto.subtle.digest("SHA-256", bytes)));
    return module ?? compile(bytes);
  };
}

async function argon2(env, password) {
  return argon2id({
    password: await peppered(password, env.PEPPER),
    salt: crypto.getRandomValues(new Uint8Array(16)),
    parallelism: 1,
    iterations: 2,
    memorySize: 19_456,
    hashLength: 32,
    outputType: "encoded",
  });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const password = url.searchParams.get("password") ?? PASSWORD;
    try {
      switch (url.pathname) {
        case "/noop":
          return new Response("ok");
        case "/pbkdf2": {
          hasher ??= createPasswordHasher(env.PEPPER);
          return new Response(await hasher.hash(password));
        }
        case "/pbkdf2-verify": {
          hasher ??= createPasswordHasher(env.PEPPER);
          return Response.json(await hasher.verify(password, url.searchParams.get("phc") ?? ""));
        }
        case "/argon2id-as-shipped":
          // hash-wasm exactly as published, no shim: shows whether it can load in workerd at all.
          return new Response(await argon2(env, password));
        case "/argon2id":
          usePrecompiledWasm(JSON.parse(env.WASM_SHA256));
          return new Response(await argon2(env, password));
        case "/policy":
          return Response.json({ problem: checkNewPassword(password, "ann@example.com", { minLength: 8, maxBytes: 1024 }) });
        default:
          return new Response("not found", { status: 404 });
      }
    } catch (error) {
      return new Response(`${error?.name}: ${error?.message}`, { status: 500 });
    }
  },
};
