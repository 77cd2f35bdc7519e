import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { Deps } from "../deps";
import type { RequestContext } from "../request-context";
import { findClient } from "./clients";

export interface ConnectedApp {
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: number;
  lastUsedAt: number | null;
}

/** The apps the user consented to: which app, which data (scopes), since when, last used. */
export async function listConnectedApps(deps: Deps, userId: string): Promise<ConnectedApp[]> {
  const consents = await oauthGrantsStore(deps.db).listConsents(userId);
  const apps: ConnectedApp[] = [];
  for (const consent of consents) {
    const client = await findClient(deps, consent.clientId);
    if (!client) continue;
    apps.push({
      clientId: client.clientId,
      name: client.clientName,
      scopes: consent.scopes.split(" "),
      grantedAt: consent.grantedAt,
      lastUsedAt: consent.lastUsedAt,
    });
  }
  return apps.sort((a, b) => b.grantedAt - a.grantedAt);
}

/** Withdraws consent: the app's refresh tokens die at once and the next login asks again. */
export async function disconnectApp(deps: Deps, userId: string, clientId: string, request: RequestContext): Promise<boolean> {
  const store = oauthGrantsStore(deps.db);
  if (!(await store.findConsent(userId, clientId))) return false;
  const now = deps.clock();
  await deps.db.batch([
    store.revokeConsentStatement(userId, clientId, now),
    store.revokeByUserAndClientStatement(userId, clientId, now),
    deps.audit.statement(
      { type: "user.app_disconnected", outcome: "success", actorType: "user", actorId: userId, userId, details: { client_id: clientId } },
      request,
    ),
  ]);
  return true;
}
