// A D1 back end for raw `workerd serve`: what Miniflare's D1 emulation does, in a few lines. workerd's own
// D1 binding (the wrapped module `cloudflare-internal:d1-api`) sends `POST /query` or `/execute` with
// `{sql, params}` (or an array of them) to this service; one SQLite-backed Durable Object holds the database.
// It counts the requests it serves, so the benchmark can show how many D1 round trips a load run caused.
import { DurableObject } from "cloudflare:workers";

export class Database extends DurableObject {
  requests = 0;
  statements = 0;
  /** Statements served, by verb and table ("select clients"): which reads a load run caused. */
  bySql = {};
  /** When each kind of statement last ran (the last 100 times, ms since the epoch). */
  times = {};

  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/__stats") return Response.json({ requests: this.requests, statements: this.statements, bySql: this.bySql, times: this.times });
    if (request.method !== "POST" || (url.pathname !== "/query" && url.pathname !== "/execute")) return new Response("not found", { status: 404 });
    return request.json().then((body) => this.#run(body, url.searchParams.get("resultsFormat")));
  }

  #run(body, format) {
    const queries = (Array.isArray(body) ? body : [body]).filter((query) => query.sql.replace(/^\s+--.*/gm, "").trim().length > 0);
    this.requests++;
    this.statements += queries.length;
    for (const { sql } of queries) {
      const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "?";
      const table = /\b(?:from|into|update|table|on)\s+[`"]?(\w+)/i.exec(sql)?.[1] ?? "?";
      const key = `${verb} ${table}`;
      this.bySql[key] = (this.bySql[key] ?? 0) + 1;
      this.times[key] = [...(this.times[key] ?? []), Date.now()].slice(-100);
    }
    try {
      if (queries.length === 0) throw new Error("No SQL statements detected.");
      const results = this.ctx.storage.transactionSync(() => queries.map((query) => this.#query(query, format)));
      return Response.json(results);
    } catch (error) {
      return Response.json({ success: false, error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  }

  #query(query, format) {
    const sql = this.ctx.storage.sql;
    const changesBefore = sql.exec("SELECT total_changes() AS changes").one().changes;
    const params = (query.params ?? []).map((param) => (Array.isArray(param) ? new Uint8Array(param).buffer : param));
    const cursor = sql.exec(query.sql, ...params);
    const columns = cursor.columnNames;
    const rows = Array.from(cursor.raw(), (row) => row.map((value) => (value instanceof ArrayBuffer ? Array.from(new Uint8Array(value)) : value)));
    const after = sql.exec("SELECT total_changes() AS changes, last_insert_rowid() AS lastRowId").one();
    const changes = after.changes - changesBefore;
    return {
      success: true,
      results: format === "ROWS_AND_COLUMNS" ? { columns, rows } : rows.map((row) => Object.fromEntries(columns.map((name, i) => [name, row[i]]))),
      meta: {
        served_by: "bench-d1-shim",
        duration: 0,
        changes,
        last_row_id: after.lastRowId,
        changed_db: changes > 0,
        size_after: sql.databaseSize,
        rows_read: cursor.rowsRead,
        rows_written: cursor.rowsWritten,
      },
    };
  }
}

export default {
  fetch(request, env) {
    return env.DATABASE.get(env.DATABASE.idFromName("DB")).fetch(request);
  },
};
