import type { Config } from "./config";
import type { Deps } from "./services/deps";
import type { RequestContext } from "./services/request-context";
import type { Session } from "./services/sessions";
import type { Locale, Translate } from "./ui/i18n";
import type { Theme } from "./ui/theme";

/** Hono's typing for this app: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    deps: Deps;
    requestId: string;
    cspNonce: string;
    locale: Locale;
    t: Translate;
    request: RequestContext;
    csrfToken: string;
    session: Session | null;
    /** The branding of the app the visitor came from (hosted pages only; middleware/branding.ts). */
    theme: Theme;
    /** A device id minted for this browser during this request (routes/auth-flow.ts), so it is minted once. */
    mintedDeviceId?: string;
    /** This page shows the Turnstile widget: its CSP also allows Cloudflare's challenge script and iframe. */
    cspTurnstile: boolean;
  };
}
