// The load generator of bench/oidc.mjs, run as its own process so that it can be pinned to its own core:
//   taskset -c 1 node bench/oidc/load.mjs '<json>'
// with {url, method, headers, body, connections, durationSeconds}. Runs autocannon once and prints one JSON
// line: requests, req/s, latency percentiles, status codes, errors and timeouts. autocannon's own histogram
// keeps whole milliseconds, too coarse at one connection, so each response time (float ms) is kept here.
import autocannon from "autocannon";

const spec = JSON.parse(process.argv[2]);
let latencies = new Float64Array(1 << 16);
let count = 0;
/** Wall-clock times (ms) of the first non-2xx responses, to line them up with the server's own events. */
const failureTimes = [];
const instance = autocannon({
  url: spec.url,
  method: spec.method ?? "GET",
  headers: spec.headers ?? {},
  body: spec.body,
  connections: spec.connections,
  duration: spec.durationSeconds,
  pipelining: 1,
  timeout: 10,
});
instance.on("response", (_client, statusCode, _bytes, responseTime) => {
  if ((statusCode < 200 || statusCode > 299) && failureTimes.length < 200) failureTimes.push(Date.now());
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[count++] = responseTime;
});
const result = await instance;
const sorted = latencies.subarray(0, count).sort();
const quantile = (q) => (count === 0 ? Number.NaN : sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]);
const round = (value) => Math.round(value * 100) / 100;
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    latency: { p50: round(quantile(0.5)), p90: round(quantile(0.9)), p99: round(quantile(0.99)), max: round(quantile(1)) },
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failureTimes,
  }),
);
