import { Hono } from "hono";
import { unlinkIdentity } from "../services/federation/linking";
import { identitiesStore } from "../storage/identities-store";
import { identityProvidersStore } from "../storage/identity-providers-store";
import type { MessageKey } from "../ui/i18n";
import { IdentitiesPage } from "../ui/pages/federation-pages";
import { type AccountEnv, requireAccount } from "./account-guard";
import { pageContext, readForm } from "./page-helpers";

const NOTICES: Record<string, { kind: "success" | "error"; key: MessageKey }> = {
  linked: { kind: "success", key: "identities.linked" },
  unlinked: { kind: "success", key: "identities.unlinked" },
  last_method: { kind: "error", key: "identities.lastMethod" },
};

/** The account's linked logins (`/account/identities`): list, unlink, link another provider. */
export const federationAccountRoutes = new Hono<AccountEnv>()
  .use("/account/identities", requireAccount)
  .use("/account/identities/*", requireAccount)
  .get("/account/identities", async (c) => {
    const deps = c.get("deps");
    const user = c.get("user");
    const [linked, providers] = await Promise.all([identitiesStore(deps.db).listForUser(user.id), identityProvidersStore(deps.db).list()]);
    const names = new Map(providers.map((provider) => [provider.id, provider.displayName]));
    const page = pageContext(c);
    const notice = NOTICES[c.req.query("notice") ?? ""];
    return c.html(
      <IdentitiesPage
        page={page}
        identities={linked.map((identity) => ({
          id: identity.id,
          providerName: names.get(identity.providerId) ?? identity.providerId,
          email: identity.email,
          lastUsedAt: identity.lastUsedAt,
        }))}
        providers={providers.filter((provider) => provider.enabled).map((provider) => ({ id: provider.id, displayName: provider.displayName }))}
        flash={notice ? { kind: notice.kind, text: page.t(notice.key) } : null}
      />,
    );
  })
  .post("/account/identities/:identityId/unlink", async (c) => {
    await readForm(c);
    const result = await unlinkIdentity(c.get("deps"), c.get("user"), c.req.param("identityId"), c.get("request"));
    if (result === "not_found") return c.redirect("/account/identities", 303);
    return c.redirect(`/account/identities?notice=${result === "unlinked" ? "unlinked" : "last_method"}`, 303);
  });
