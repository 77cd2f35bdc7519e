// Secrets and optional variables: `wrangler types` only sees what wrangler.toml declares.
declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT?: string;
    KEY_ENCRYPTION_KEY: string;
    PASSWORD_PEPPER: string;
    ADMIN_API_TOKEN: string;
    /** Twilio-style SMS API (`POST {SMS_API_URL}` with HTTP Basic `SMS_ACCOUNT_SID:SMS_AUTH_TOKEN`); secrets. */
    SMS_ACCOUNT_SID?: string;
    SMS_AUTH_TOKEN?: string;
    /** Development only: the demo relying party's client secret (`npm start` writes it to .dev.vars). */
    DEMO_CLIENT_SECRET?: string;
    /** Web Push (VAPID, RFC 8292) key pair; see docs/authentication.md (push approval). Generated in D1 outside production when absent. */
    VAPID_PUBLIC_KEY?: string;
    VAPID_PRIVATE_KEY?: string;
    VAPID_SUBJECT?: string;
    /** Comma-separated push-service hosts (`*.suffix` allowed) that subscriptions may point at. */
    PUSH_ENDPOINT_HOSTS?: string;
    /** Cloudflare Turnstile (optional): the widget's site key, its secret (a secret), and the siteverify URL (default Cloudflare's). */
    TURNSTILE_SITE_KEY?: string;
    TURNSTILE_SECRET_KEY?: string;
    TURNSTILE_VERIFY_URL?: string;
  }
}
