import { createApp } from "./app";

export { IpGuard } from "./durable/ip-guard";
export { UserGuard } from "./durable/user-guard";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
