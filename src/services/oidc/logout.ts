import { randomId } from "../../lib/random";
import { oauthGrantsStore } from "../../storage/oauth-grants-store";
import type { Deps } from "../deps";
import { revokeAllSessions, revokeSession, type Session } from "../sessions";
import { type Client, isRedirectUriRegistered } from "./client-model";
import { findClient } from "./clients";
import { signJwt } from "./jwt";
import { getKeyRing } from "./keys";

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** Where the back-channel deliveries for one client queue up. */
export interface DeliveryQueues {
  enqueue(clientId: string, delivery: { id: string; url: string; body: string }): Promise<void>;
}

/**
 * Ends one browser session everywhere it matters: the session index and its edge copy, the refresh
 * tokens issued in it, and every client that received tokens in it is told by back-channel logout.
 */
export async function endSession(deps: Deps, queues: DeliveryQueues, session: Session): Promise<void> {
  await revokeSession(deps, session.userId, session.id);
  const store = oauthGrantsStore(deps.db);
  const linked = await store.clientsOfSession(session.id);
  await deps.db.batch([store.revokeBySessionStatement(session.id, deps.clock()), store.unlinkSessionStatement(session.id)]);
  await notifyClients(deps, queues, session.userId, linked);
}

/** Ends every session of the user, revokes all their refresh tokens and notifies every linked client. */
export async function endAllSessions(deps: Deps, queues: DeliveryQueues, userId: string): Promise<void> {
  await revokeAllSessions(deps, userId);
  const store = oauthGrantsStore(deps.db);
  const linked = await store.clientsOfUser(userId);
  const statements = [
    store.revokeByUserStatement(userId, deps.clock()),
    ...[...new Set(linked.map((link) => link.sessionId))].map((sid) => store.unlinkSessionStatement(sid)),
  ];
  await deps.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  await notifyClients(deps, queues, userId, linked);
}

async function notifyClients(deps: Deps, queues: DeliveryQueues, userId: string, linked: { sessionId: string; clientId: string }[]): Promise<void> {
  if (linked.length === 0) return;
  const ring = await getKeyRing(deps);
  for (const { sessionId, clientId } of linked) {
    const client = await findClient(deps, clientId);
    if (!client?.backchannelLogoutUri) continue;
    const now = Math.floor(deps.clock() / 1000);
    // Back-Channel Logout 1.0 §2.4: typ logout+jwt, an events claim, sid and sub, no nonce.
    const logoutToken = await signJwt(ring, client.idTokenSignedResponseAlg, "logout+jwt", {
      iss: deps.config.issuerUrl,
      aud: client.clientId,
      iat: now,
      exp: now + 120,
      jti: randomId(),
      sub: userId,
      sid: sessionId,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    await queues.enqueue(client.clientId, {
      id: randomId(),
      url: client.backchannelLogoutUri,
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
    });
  }
}

/**
 * Validates an RP-initiated logout request (RP-Initiated Logout 1.0 §2–3): a post-logout redirect is
 * only followed when it is registered for the client named by the ID token hint (or `client_id`).
 */
export async function resolvePostLogoutRedirect(
  deps: Deps,
  input: { postLogoutRedirectUri?: string; clientId?: string; idTokenAudience?: string | null },
): Promise<{ client: Client; uri: string } | null> {
  const clientId = input.idTokenAudience ?? input.clientId;
  if (!input.postLogoutRedirectUri || !clientId) return null;
  if (input.idTokenAudience && input.clientId && input.clientId !== input.idTokenAudience) return null;
  const client = await findClient(deps, clientId);
  if (!client || !isRedirectUriRegistered(client.postLogoutRedirectUris, input.postLogoutRedirectUri, client.applicationType === "native")) return null;
  return { client, uri: input.postLogoutRedirectUri };
}
