import { request } from "node:http";

/**
 * Posts `chunks` to `url` on a connection of its own (no keep-alive pool) and resolves with the
 * response as soon as it arrives. A server may answer an oversized body early and close the connection
 * while we are still writing; the write error that follows is expected then and ignored.
 */
export function rawPost(url: string, headers: Record<string, string>, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: "POST", headers: { ...headers, connection: "close" }, agent: false }, (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8") }));
      response.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
