// The ceiling of the runtime: the same workerd, the same kind of config and socket as Gatehouse, and a
// handler that does next to nothing. It reads the request body (as /token must) and answers a short JSON.
export default {
  async fetch(request) {
    if (request.body) await request.arrayBuffer();
    return new Response('{"hello":"world"}', { headers: { "Content-Type": "application/json" } });
  },
};
