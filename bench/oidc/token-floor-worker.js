// The least work a client_credentials /token must do, in the same runtime: read the form, check a Basic
// client secret (SHA-256 and a constant-time compare against a stored hash), sign an ES256 JWT with WebCrypto,
// answer JSON. No framework, no logging. bench/oidc-ablation.mjs compares Gatehouse with it and with hello:
// what is left between this floor and Gatehouse is the cost of Gatehouse's own code.
const encoder = new TextEncoder();
const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
let state;

async function init(env) {
  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const secretHash = await crypto.subtle.digest("SHA-256", encoder.encode(env.CLIENT_SECRET));
  return { privateKey, secretHash, header: b64url(encoder.encode(JSON.stringify({ alg: "ES256", kid: "floor", typ: "at+jwt" }))) };
}

export default {
  async fetch(request, env) {
    state ??= await init(env);
    const form = new URLSearchParams(await request.text());
    const [id, secret] = atob((request.headers.get("authorization") ?? "").replace(/^Basic /, "")).split(":");
    const presented = await crypto.subtle.digest("SHA-256", encoder.encode(decodeURIComponent(secret ?? "")));
    if (id !== env.CLIENT_ID || !crypto.subtle.timingSafeEqual(presented, state.secretHash) || form.get("grant_type") !== "client_credentials")
      return Response.json({ error: "invalid_client" }, { status: 401 });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: env.ISSUER, sub: id, aud: env.ISSUER, client_id: id, iat: now, exp: now + 600, jti: crypto.randomUUID(), scope: "api:read" };
    const input = `${state.header}.${b64url(encoder.encode(JSON.stringify(claims)))}`;
    const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, state.privateKey, encoder.encode(input));
    const body = JSON.stringify({ access_token: `${input}.${b64url(signature)}`, token_type: "Bearer", expires_in: 600, scope: "api:read" });
    return new Response(body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
  },
};
