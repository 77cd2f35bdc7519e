import { expect } from "vitest";
import { adminApi, codeRequest, pkceChecks, registerClient } from "./support/oidc-rp";

/** A registered app with its own branding; returns the /authorize path a browser opens for it. */
export async function brandedApp(branding: Record<string, unknown>): Promise<{ clientId: string; authorizePath: () => Promise<string> }> {
  const client = await registerClient({
    client_name: "Branded app",
    redirect_uris: ["http://127.0.0.1:9/callback"],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code"],
    first_party: true,
  });
  const saved = await adminApi("PUT", `/branding/clients/${client.client_id}`, branding);
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return {
    clientId: client.client_id,
    authorizePath: async () => {
      const checks = await pkceChecks();
      return `/authorize?${new URLSearchParams({ response_type: "code", client_id: client.client_id, ...codeRequest("http://127.0.0.1:9/callback", checks) })}`;
    },
  };
}
