import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { basicAuthHeader, RpcAuthenticator } from "../../src/rpc/auth.ts";
import { RpcDispatcher } from "../../src/rpc/dispatcher.ts";
import { RpcServerError, RpcServerErrorCode } from "../../src/rpc/errors.ts";
import { isLoopbackHost, type RpcServer, startRpcServer } from "../../src/rpc/server.ts";

const CREDS = { user: "alice", password: "correct horse" };
const AUTH = basicAuthHeader(CREDS);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { authorization: AUTH },
): Promise<Answer> {
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json };
}

function rpcBody(method: string, params: unknown = [], id: unknown = 1, jsonrpc?: string): string {
  return JSON.stringify({ ...(jsonrpc === undefined ? {} : { jsonrpc }), id, method, params });
}

describe("RPC HTTP server", () => {
  let server: RpcServer;
  let dispatcher: RpcDispatcher;
  let stopped = 0;
  let lastCtx: { wallet: string | null; user: string } | null = null;

  before(async () => {
    dispatcher = new RpcDispatcher({
      warmup: null,
      onStop: () => {
        stopped++;
      },
    });
    dispatcher.registerMethod({
      name: "getblockhash",
      category: "blockchain",
      params: [{ name: "height", type: "integer", required: true }],
      handler: (args, ctx) => {
        lastCtx = { wallet: ctx.wallet, user: ctx.user };
        return args.height.toString(16).padStart(64, "0");
      },
    });
    dispatcher.registerMethod({
      name: "echo",
      params: [
        { name: "text", type: "string", required: true },
        { name: "times", type: "number", default: 1 },
      ],
      handler: (args) => args.text.repeat(args.times),
    });
    dispatcher.registerMethod({
      name: "fee",
      handler: () => ({ base: 12_345_678_901_234_567_890n }),
    });
    dispatcher.registerMethod({
      name: "cyclic",
      handler: () => {
        const a: { self?: unknown } = {};
        a.self = a;
        return a;
      },
    });
    dispatcher.registerMethod({
      name: "boom",
      handler: () => {
        throw new Error("kaput");
      },
    });
    server = await startRpcServer(
      { maxBodyBytes: 4096, authFailureDelayMs: 50 },
      { dispatcher, authenticator: new RpcAuthenticator(CREDS) },
    );
  });

  after(() => server.close());

  it("binds to 127.0.0.1 by default and reports its URL", () => {
    assert.equal(server.host, "127.0.0.1");
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
  });

  it("answers 401 with WWW-Authenticate without credentials", async () => {
    const res = await post(server.url, rpcBody("getblockhash", [1]), {});
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Basic realm="jsonrpc"');
  });

  it("answers 401 after a delay with a wrong password", async () => {
    const started = performance.now();
    const wrong = basicAuthHeader({ user: "alice", password: "wrong" });
    const res = await post(server.url, rpcBody("getblockhash", [1]), { authorization: wrong });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Basic realm="jsonrpc"');
    assert.ok(performance.now() - started >= 45, "the failure is delayed");
  });

  it("answers 401 to a wrong user and to a malformed header", async () => {
    const wrongUser = basicAuthHeader({ user: "bob", password: CREDS.password });
    assert.equal((await post(server.url, "{}", { authorization: wrongUser })).status, 401);
    assert.equal((await post(server.url, "{}", { authorization: "Bearer x" })).status, 401);
  });

  it("does not block other requests while delaying a failed one", async () => {
    const wrong = basicAuthHeader({ user: "alice", password: "nope" });
    const slow = post(server.url, rpcBody("uptime"), { authorization: wrong });
    const fast = await post(server.url, rpcBody("uptime"));
    assert.equal(fast.status, 200);
    assert.equal((await slow).status, 401);
  });

  it("answers a legacy single request in Core's shape", async () => {
    const res = await post(server.url, rpcBody("getblockhash", [255], "x"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.ok(res.text.endsWith("\n"));
    assert.deepEqual(res.json, { result: `${"0".repeat(62)}ff`, error: null, id: "x" });
  });

  it("answers a 2.0 request with jsonrpc and no error field", async () => {
    const res = await post(server.url, rpcBody("getblockhash", [1], 7, "2.0"));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: "2.0", result: `${"0".repeat(63)}1`, id: 7 });
  });

  it("takes named params and applies defaults", async () => {
    const once = await post(server.url, rpcBody("echo", { text: "ab" }));
    assert.deepEqual(once.json, { result: "ab", error: null, id: 1 });
    const thrice = await post(server.url, rpcBody("echo", { times: 3, text: "ab" }));
    assert.deepEqual(thrice.json, { result: "ababab", error: null, id: 1 });
  });

  it("writes bigints as exact JSON integers", async () => {
    const res = await post(server.url, rpcBody("fee"));
    assert.match(res.text, /"base":12345678901234567890[,}]/);
  });

  it("answers an unknown method with -32601 and HTTP 404", async () => {
    const res = await post(server.url, rpcBody("nosuchmethod"));
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, {
      result: null,
      error: { code: -32601, message: "Method not found" },
      id: 1,
    });
  });

  it("answers a 2.0 unknown method with HTTP 200 and the error", async () => {
    const res = await post(server.url, rpcBody("nosuchmethod", [], 3, "2.0"));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      jsonrpc: "2.0",
      error: { code: -32601, message: "Method not found" },
      id: 3,
    });
  });

  it("answers a wrong param type with -3 and HTTP 500", async () => {
    const res = await post(server.url, rpcBody("getblockhash", ["1"]));
    assert.equal(res.status, 500);
    assert.deepEqual(res.json, {
      result: null,
      error: { code: -3, message: "Expected type number, got string" },
      id: 1,
    });
  });

  it("answers a handler's plain Error with -1 and its message", async () => {
    const res = await post(server.url, rpcBody("boom"));
    assert.equal(res.status, 500);
    assert.deepEqual(res.json, {
      result: null,
      error: { code: -1, message: "kaput" },
      id: 1,
    });
  });

  it("answers -32603 when a result cannot be written as JSON", async () => {
    const res = await post(server.url, rpcBody("cyclic"));
    assert.equal(res.status, 500);
    assert.deepEqual((res.json as { error: unknown }).error, {
      code: -32603,
      message: "Result is not serializable",
    });
  });

  it("answers invalid JSON with -32700 and HTTP 500", async () => {
    const res = await post(server.url, '{"method": "uptime",');
    assert.equal(res.status, 500);
    assert.deepEqual(res.json, {
      result: null,
      error: { code: -32700, message: "Parse error" },
      id: null,
    });
  });

  it("answers a JSON scalar with -32700 top-level parse error", async () => {
    const res = await post(server.url, "42");
    assert.equal(res.status, 500);
    assert.deepEqual((res.json as { error: unknown }).error, {
      code: -32700,
      message: "Top-level object parse error",
    });
  });

  it("answers a malformed request object with -32600 and HTTP 400", async () => {
    const res = await post(server.url, JSON.stringify({ id: 5, method: 12 }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      result: null,
      error: { code: -32600, message: "Method must be a string" },
      id: 5,
    });
  });

  it("answers a batch with one reply per request, HTTP 200, errors included", async () => {
    const body = JSON.stringify([
      { id: 1, method: "getblockhash", params: [2] },
      { id: 2, method: "nosuchmethod" },
      { jsonrpc: "2.0", method: "uptime" },
      { jsonrpc: "2.0", id: 3, method: "echo", params: { text: "z", times: 2 } },
      "not an object",
    ]);
    const res = await post(server.url, body);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, [
      { result: `${"0".repeat(63)}2`, error: null, id: 1 },
      { result: null, error: { code: -32601, message: "Method not found" }, id: 2 },
      { jsonrpc: "2.0", result: "zz", id: 3 },
      { result: null, error: { code: -32600, message: "Invalid Request object" }, id: null },
    ]);
  });

  it("answers an empty batch with [] and an all-notification batch with 204", async () => {
    const empty = await post(server.url, "[]");
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json, []);
    const notes = await post(server.url, JSON.stringify([{ jsonrpc: "2.0", method: "uptime" }]));
    assert.equal(notes.status, 204);
    assert.equal(notes.text, "");
  });

  it("answers a 2.0 notification with 204 and runs it", async () => {
    const res = await post(server.url, JSON.stringify({ jsonrpc: "2.0", method: "uptime" }));
    assert.equal(res.status, 204);
  });

  it("passes the wallet of /wallet/<name> and the user to the handler", async () => {
    await post(`${server.url}wallet/my%20wallet`, rpcBody("getblockhash", [0]));
    assert.deepEqual(lastCtx, { wallet: "my wallet", user: "alice" });
    await post(server.url, rpcBody("getblockhash", [0]));
    assert.deepEqual(lastCtx, { wallet: null, user: "alice" });
  });

  it("answers 404 for another path and 405 for GET", async () => {
    assert.equal((await post(`${server.url}other`, rpcBody("uptime"))).status, 404);
    const get = await fetch(server.url, { headers: { authorization: AUTH } });
    assert.equal(get.status, 405);
    assert.equal(await get.text(), "JSONRPC server handles only POST requests");
  });

  it("answers 413 to a declared body above the limit", async () => {
    const body = rpcBody("echo", ["x".repeat(5000)]);
    const res = await post(server.url, body);
    assert.equal(res.status, 413);
  });

  it("answers 413 to a chunked body that grows past the limit", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, {
        method: "POST",
        headers: { authorization: AUTH, "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(1000));
      req.end();
    });
    assert.equal(status, 413);
  });

  it("serves keep-alive: several requests on one connection", async () => {
    const { Agent } = await import("node:http");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    for (let i = 0; i < 3; i++) {
      const localPort = await new Promise<number>((resolve, reject) => {
        const req = request(server.url, {
          method: "POST",
          agent,
          headers: { authorization: AUTH, "content-type": "application/json" },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve(req.socket?.localPort ?? -1));
        });
        req.on("error", reject);
        req.end(rpcBody("uptime"));
      });
      ports.add(localPort);
    }
    agent.destroy();
    assert.equal(ports.size, 1, "the same socket served all three");
  });

  it("calls the stop hook after answering stop", async () => {
    const res = await post(server.url, rpcBody("stop"));
    assert.deepEqual(res.json, { result: "Starling stopping", error: null, id: 1 });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(stopped, 1);
  });
});

describe("RPC server warm-up", () => {
  it("answers -28 until the node is ready, then serves", async () => {
    const dispatcher = new RpcDispatcher({ warmup: "Loading block index…" });
    dispatcher.registerMethod({ name: "getblockcount", handler: () => 5 });
    const server = await startRpcServer(
      {},
      { dispatcher, authenticator: new RpcAuthenticator(CREDS) },
    );
    try {
      const early = await post(server.url, rpcBody("getblockcount"));
      assert.equal(early.status, 500);
      assert.deepEqual(early.json, {
        result: null,
        error: { code: -28, message: "Loading block index…" },
        id: 1,
      });
      const uptime = await post(server.url, rpcBody("uptime"));
      assert.equal(uptime.status, 200, "uptime answers during warm-up");
      dispatcher.setReady();
      const later = await post(server.url, rpcBody("getblockcount"));
      assert.deepEqual(later.json, { result: 5, error: null, id: 1 });
    } finally {
      await server.close();
    }
  });
});

describe("RPC server binding and lifecycle", () => {
  const components = () => ({
    dispatcher: new RpcDispatcher({ warmup: null }),
    authenticator: new RpcAuthenticator(CREDS),
  });

  it("refuses a non-loopback address unless allowed", async () => {
    await assert.rejects(
      startRpcServer({ host: "0.0.0.0" }, components()),
      (err) => err instanceof RpcServerError && err.code === RpcServerErrorCode.PUBLIC_BIND_REFUSED,
    );
  });

  it("binds a non-loopback address when allowed, with a warning", async () => {
    const warnings: unknown[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (fields: object) => warnings.push(fields),
      error: () => {},
    };
    const server = await startRpcServer(
      { host: "0.0.0.0", allowPublicBind: true },
      { ...components(), logger },
    );
    await server.close();
    assert.deepEqual(warnings, [{ host: "0.0.0.0" }]);
  });

  it("reports a busy port as address-in-use", async () => {
    const first = await startRpcServer({}, components());
    try {
      await assert.rejects(
        startRpcServer({ port: first.port }, components()),
        (err) => err instanceof RpcServerError && err.code === RpcServerErrorCode.ADDRESS_IN_USE,
      );
    } finally {
      await first.close();
    }
  });

  it("lets an in-flight call finish on close, then refuses connections", async () => {
    const c = components();
    let release: () => void = () => {};
    c.dispatcher.registerMethod({
      name: "slow",
      handler: () => new Promise<string>((resolve) => (release = () => resolve("done"))),
    });
    const server = await startRpcServer({ closeGraceMs: 5_000 }, c);
    const call = post(server.url, rpcBody("slow"));
    await new Promise((r) => setTimeout(r, 30));
    const closed = server.close();
    release();
    const res = await call;
    await closed;
    assert.deepEqual(res.json, { result: "done", error: null, id: 1 });
    await assert.rejects(post(server.url, rpcBody("uptime")));
  });

  it("aborts a call's signal when the grace period ends", async () => {
    const c = components();
    let aborted = false;
    c.dispatcher.registerMethod({
      name: "hang",
      handler: (_args, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
    });
    const server = await startRpcServer({ closeGraceMs: 50 }, c);
    const call = post(server.url, rpcBody("hang")).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 30));
    await server.close();
    await call;
    assert.equal(aborted, true);
  });

  it("answers 503 beyond maxInFlight concurrent requests", async () => {
    const c = components();
    let release: () => void = () => {};
    c.dispatcher.registerMethod({
      name: "slow",
      handler: () => new Promise<number>((resolve) => (release = () => resolve(1))),
    });
    const server = await startRpcServer({ maxInFlight: 1 }, c);
    try {
      const first = post(server.url, rpcBody("slow"));
      await new Promise((r) => setTimeout(r, 30));
      const second = await post(server.url, rpcBody("uptime"));
      assert.equal(second.status, 503);
      release();
      assert.equal((await first).status, 200);
      assert.equal((await post(server.url, rpcBody("uptime"))).status, 200, "free again");
    } finally {
      await server.close();
    }
  });

  it("answers 408 and closes when a request body does not arrive in time", async () => {
    const server = await startRpcServer({ requestTimeoutMs: 200 }, components());
    try {
      const started = performance.now();
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, "127.0.0.1", () => {
          socket.write(
            `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Length: 50\r\n\r\n{"me`,
          );
        });
        let text = "";
        socket.on("data", (chunk) => {
          text += chunk.toString();
        });
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      assert.match(reply, /^HTTP\/1\.1 408/);
      assert.ok(performance.now() - started < 2_000, "timed out promptly");
    } finally {
      await server.close();
    }
  });

  it("knows loopback addresses", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "[::1]",
      "localhost",
      "::ffff:127.0.0.1",
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.2", "10.0.0.1", "example.com"]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});
