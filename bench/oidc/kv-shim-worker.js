// A KV back end for raw `workerd serve`: workerd's KV binding speaks HTTP to this service (GET, PUT, DELETE
// on `/<url-encoded key>`, list on `/`). In memory only, enough for a benchmark; it counts every operation
// so the benchmark can show that the measured paths make none.
const values = new Map();
let operations = 0;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/__stats") return Response.json({ operations });
    operations++;
    const key = decodeURIComponent(url.pathname.slice(1));
    if (request.method === "PUT") {
      values.set(key, await request.arrayBuffer());
      return new Response(null);
    }
    if (request.method === "DELETE") {
      values.delete(key);
      return new Response(null);
    }
    if (key === "") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const keys = [...values.keys()].filter((name) => name.startsWith(prefix)).map((name) => ({ name }));
      return Response.json({ keys, list_complete: true, cacheStatus: null });
    }
    const value = values.get(key);
    return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
  },
};
