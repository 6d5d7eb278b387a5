import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setupRpcAuth } from "../../src/rpc/auth.ts";
import { callRpc } from "../../src/rpc/client.ts";
import type { AuthCookie } from "../../src/rpc/cookie.ts";
import { RpcDispatcher } from "../../src/rpc/dispatcher.ts";
import { RpcError, RpcErrorCode, RpcTransportError } from "../../src/rpc/errors.ts";
import { type RpcServer, startRpcServer } from "../../src/rpc/server.ts";

describe("callRpc against a cookie-authenticated server", () => {
  let dir: string;
  let server: RpcServer;
  let cookie: AuthCookie;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "starling-client-"));
    const { authenticator, cookie: written } = await setupRpcAuth({ datadir: dir });
    assert.ok(written !== null);
    cookie = written;
    const dispatcher = new RpcDispatcher({ warmup: null });
    dispatcher.registerMethod({
      name: "add",
      params: [
        { name: "a", type: "number", required: true },
        { name: "b", type: "number", default: 0 },
      ],
      handler: (args) => args.a + args.b,
    });
    dispatcher.registerMethod({
      name: "sendrawtransaction",
      params: [{ name: "hexstring", type: "hex", required: true }],
      handler: () => {
        throw new RpcError(RpcErrorCode.VERIFY_REJECTED, "mandatory-script-verify-flag-failed");
      },
    });
    dispatcher.registerMethod({
      name: "sleep",
      handler: (_args, ctx) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          ctx.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve(null);
          });
        }),
    });
    dispatcher.registerMethod({ name: "nothing", handler: () => undefined });
    server = await startRpcServer({ authFailureDelayMs: 1 }, { dispatcher, authenticator });
  });

  after(async () => {
    await server.close();
    await cookie.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it("calls with the cookie file, positional and named params", async () => {
    const auth = { cookieFile: cookie.path };
    assert.equal(await callRpc(server.url, auth, "add", [2, 3]), 5);
    assert.equal(await callRpc(server.url, auth, "add", { a: 7 }), 7);
    assert.equal(await callRpc(server.url, auth, "nothing"), null);
  });

  it("calls with explicit credentials", async () => {
    assert.equal(await callRpc(server.url, cookie.credentials, "add", [1, 1]), 2);
  });

  it("throws RpcError with the server's code and message", async () => {
    const auth = { cookieFile: cookie.path };
    await assert.rejects(callRpc(server.url, auth, "sendrawtransaction", ["00"]), {
      name: "RpcError",
      code: -26,
      message: "mandatory-script-verify-flag-failed",
    });
    await assert.rejects(callRpc(server.url, auth, "nosuch"), { name: "RpcError", code: -32601 });
    await assert.rejects(callRpc(server.url, auth, "add", ["x"]), { name: "RpcError", code: -3 });
  });

  it("throws RpcTransportError 401 for wrong credentials", async () => {
    await assert.rejects(
      callRpc(server.url, { user: "__cookie__", password: "guess" }, "add", [1]),
      (err) => err instanceof RpcTransportError && err.status === 401,
    );
  });

  it("throws RpcTransportError 404 for a wrong path", async () => {
    await assert.rejects(
      callRpc(`${server.url}nope`, cookie.credentials, "add", [1]),
      (err) => err instanceof RpcTransportError && err.status === 404,
    );
  });

  it("throws RpcTransportError without status when nothing listens", async () => {
    const closed = await startRpcServer(
      {},
      {
        dispatcher: new RpcDispatcher(),
        authenticator: (await setupRpcAuth({ user: "a", password: "b", datadir: dir }))
          .authenticator,
      },
    );
    const url = closed.url;
    await closed.close();
    await assert.rejects(
      callRpc(url, { user: "a", password: "b" }, "uptime"),
      (err) => err instanceof RpcTransportError && err.status === null,
    );
  });

  it("times out with RpcTransportError and rethrows the caller's abort reason", async () => {
    await assert.rejects(
      callRpc(server.url, cookie.credentials, "sleep", [], { timeoutMs: 50 }),
      (err) => err instanceof RpcTransportError && /within 50 ms/.test(err.message),
    );
    const controller = new AbortController();
    const reason = new Error("user pressed ctrl-c");
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(
      callRpc(server.url, cookie.credentials, "sleep", [], { signal: controller.signal }),
      (err) => err === reason,
    );
  });
});
