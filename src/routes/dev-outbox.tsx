import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { normalizeEmail } from "../lib/email";
import { outboxStore } from "../storage/outbox-store";
import { Layout } from "../ui/layout";
import { pageContext } from "./page-helpers";

const LIMIT = 100;

/** The development outbox. Mounted only when ENVIRONMENT=development (see app.ts). */
export const devOutboxRoutes = new Hono<AppEnv>()
  .get("/dev/outbox.json", async (c) => {
    const to = c.req.query("to");
    const canonical = to === undefined ? undefined : (normalizeEmail(to) ?? to.trim());
    const rows = await outboxStore(c.get("deps").db).list({ to: canonical, limit: LIMIT });
    return c.json({
      messages: rows.map((row) => ({
        id: row.id,
        channel: row.channel,
        to: row.toAddress,
        subject: row.subject,
        text: row.text,
        html: row.html,
        created_at: new Date(row.createdAt).toISOString(),
      })),
    });
  })
  .get("/dev/outbox", async (c) => {
    const rows = await outboxStore(c.get("deps").db).list({ limit: LIMIT });
    return c.html(
      <Layout page={pageContext(c)} title="Development outbox">
        <h1>Development outbox</h1>
        {rows.length === 0 ? <p>No messages yet.</p> : null}
        {rows.map((row) => (
          <article class="card">
            <h2>{row.subject ?? "(no subject)"}</h2>
            <p class="hint">
              {row.channel} to {row.toAddress} · {new Date(row.createdAt).toISOString()}
            </p>
            <pre class="message-text">{row.text}</pre>
          </article>
        ))}
      </Layout>,
    );
  });
