import { createRoute, z } from "@hono/zod-openapi";
import { rotateKeys } from "../../services/oidc/keys";
import { adminApp, problems } from "./problems";

const RotationSchema = z
  .object({
    activated: z.array(z.string()).openapi({ description: "Key ids that sign from now on (they were published as `next` before)." }),
    retired: z.array(z.string()).openapi({ description: "Key ids that stopped signing; still published until their tokens expire." }),
  })
  .openapi("KeyRotation");

const rotateRoute = createRoute({
  method: "post",
  path: "/admin/v1/keys/rotate",
  tags: ["Keys"],
  summary: "Rotate the signing keys now",
  description:
    "For each algorithm (ES256, EdDSA, RS256) the published next key starts signing, the active one retires, and a new next key is published. A Cron Trigger does the same every 30 days.",
  responses: { 200: { description: "The rotation.", content: { "application/json": { schema: RotationSchema } } }, ...problems() },
});

/** Signing-key rotation. */
export const keyRoutes = adminApp().openapi(rotateRoute, async (c) => {
  const result = await rotateKeys(c.get("deps"));
  await c
    .get("deps")
    .audit.record({ type: "admin.keys_rotated", outcome: "success", actorType: "admin", actorId: "admin_api_token", details: result }, c.get("request"));
  return c.json(result, 200);
});
