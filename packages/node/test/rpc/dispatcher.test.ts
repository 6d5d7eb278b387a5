import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { type RpcCallInfo, RpcDispatcher } from "../../src/rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../../src/rpc/errors.ts";

const INFO: RpcCallInfo = {
  user: "u",
  peer: "127.0.0.1:1",
  wallet: null,
  signal: new AbortController().signal,
};

function ready(options: ConstructorParameters<typeof RpcDispatcher>[0] = {}): RpcDispatcher {
  const d = new RpcDispatcher({ warmup: null, ...options });
  d.registerMethod({
    name: "getblockhash",
    category: "blockchain",
    params: [{ name: "height", type: "integer", required: true, description: "The height index" }],
    help: "Returns hash of block in best-block-chain at height provided.",
    result: '"hex"    (string) The block hash',
    examples: "> starling rpc getblockhash 1000",
    handler: (args) => String(args.height),
  });
  d.registerMethod({
    name: "getblock",
    category: "blockchain",
    params: [
      { name: "blockhash", type: "hash", required: true },
      { name: "verbosity", type: "integer", default: 1 },
    ],
    handler: () => null,
  });
  d.registerMethod({
    name: "getpeerinfo",
    category: "network",
    handler: () => [],
  });
  d.registerMethod({ name: "secret", hidden: true, handler: () => "shh" });
  return d;
}

async function callError(d: RpcDispatcher, method: string, params: unknown[] = []) {
  try {
    await d.call(method, params as never, INFO);
  } catch (err) {
    assert.ok(err instanceof RpcError);
    return err;
  }
  assert.fail(`${method} did not throw`);
}

describe("RpcDispatcher", () => {
  it("lists methods in Core's help layout, by category, hidden ones left out", () => {
    const text = ready({ onStop: () => {} }).help();
    assert.equal(
      text,
      [
        "== Blockchain ==",
        'getblock "blockhash" ( verbosity )',
        "getblockhash height",
        "",
        "== Control ==",
        'help ( "command" )',
        "stop",
        "uptime",
        "",
        "== Network ==",
        "getpeerinfo",
      ].join("\n"),
    );
  });

  it("answers help <method> with signature, description, arguments, result and examples", async () => {
    const d = ready();
    const text = await d.call("help", ["getblockhash"], INFO);
    assert.equal(
      text,
      [
        "getblockhash height",
        "",
        "Returns hash of block in best-block-chain at height provided.",
        "",
        "Arguments:",
        "1. height    (numeric, required) The height index",
        "",
        "Result:",
        '"hex"    (string) The block hash',
        "",
        "Examples:",
        "> starling rpc getblockhash 1000",
      ].join("\n"),
    );
    assert.equal(await d.call("help", ["nope"], INFO), "help: unknown command: nope");
    const getblock = (await d.call("help", ["getblock"], INFO)) as string;
    assert.match(getblock, /2\. verbosity {4}\(numeric, optional, default=1\)/);
  });

  it("answers the usage text as -1 for a wrong argument count", async () => {
    const d = ready();
    const err = await callError(d, "getblockhash", []);
    assert.equal(err.code, RpcErrorCode.MISC_ERROR);
    assert.equal(err.message, d.help("getblockhash"));
  });

  it("reports uptime in whole seconds from the start", async () => {
    let now = 1_000_000;
    const d = new RpcDispatcher({ warmup: null, now: () => now });
    assert.equal(await d.call("uptime", [], INFO), 0);
    now += 61_999;
    assert.equal(await d.call("uptime", [], INFO), 61);
  });

  it("answers -28 with the warm-up message until ready, except for help and uptime", async () => {
    const d = new RpcDispatcher();
    d.registerMethod({ name: "getblockcount", handler: () => 1 });
    assert.equal(d.inWarmup, true);
    const first = await callError(d, "getblockcount");
    assert.deepEqual(first.toJSON(), { code: -28, message: "RPC server started" });
    d.setWarmup("Verifying blocks…");
    assert.equal((await callError(d, "getblockcount")).message, "Verifying blocks…");
    assert.equal((await callError(d, "nosuch")).code, -28, "warm-up is checked first, as Core");
    assert.equal(typeof (await d.call("uptime", [], INFO)), "number");
    d.setReady();
    assert.equal(await d.call("getblockcount", [], INFO), 1);
  });

  it("registers stop only with a hook, and runs the hook after answering", async () => {
    assert.equal(new RpcDispatcher().has("stop"), false);
    const order: string[] = [];
    const d = new RpcDispatcher({
      onStop: () => {
        order.push("hook");
      },
    });
    const answer = await d.call("stop", [], INFO);
    order.push("answered");
    assert.equal(answer, "Starling stopping");
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ["answered", "hook"]);
  });

  it("keeps RpcError codes and turns other errors into -1 with their message", async () => {
    const d = ready();
    d.registerMethod({
      name: "reject",
      handler: () => {
        throw new RpcError(RpcErrorCode.VERIFY_REJECTED, "bad-txns-inputs-missingorspent");
      },
    });
    d.registerMethod({
      name: "crash",
      handler: async () => {
        throw new TypeError("x is undefined");
      },
    });
    assert.deepEqual((await callError(d, "reject")).toJSON(), {
      code: -26,
      message: "bad-txns-inputs-missingorspent",
    });
    assert.deepEqual((await callError(d, "crash")).toJSON(), {
      code: -1,
      message: "x is undefined",
    });
  });

  it("returns null for a handler that returns nothing", async () => {
    const d = ready();
    d.registerMethod({ name: "noop", handler: () => undefined });
    assert.equal(await d.call("noop", [], INFO), null);
  });

  it("refuses a duplicate method and malformed param lists", () => {
    const d = ready();
    assert.throws(() => d.registerMethod({ name: "getblock", handler: () => 1 }), /already/);
    assert.throws(
      () =>
        d.registerMethod({
          name: "dup",
          params: [
            { name: "a", type: "string" },
            { name: "a", type: "number" },
          ],
          handler: () => 1,
        }),
      /duplicate/,
    );
    assert.throws(
      () =>
        d.registerMethod({
          name: "reqdefault",
          params: [{ name: "a", type: "string", required: true, default: "x" }],
          handler: () => 1,
        }),
      /default/,
    );
  });

  it("counts calls by method and result and times them", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const d = new RpcDispatcher({ warmup: null }, { metrics: metrics.rpc });
    d.registerMethod({
      name: "getblockhash",
      params: [{ name: "height", type: "integer", required: true }],
      handler: (args) => args.height,
    });
    await d.call("getblockhash", [1], INFO);
    await d.call("getblockhash", [2], INFO);
    await callError(d, "getblockhash", ["x"]);
    await callError(d, "whatever");
    const calls = await metrics.rpc.calls.get();
    const count = (method: string, result: string) =>
      calls.values.find((v) => v.labels.method === method && v.labels.result === result)?.value;
    assert.equal(count("getblockhash", "ok"), 2);
    assert.equal(count("getblockhash", "-3"), 1);
    assert.equal(count("unknown", "-32601"), 1, "unknown methods share one label");
    const seconds = await metrics.rpc.seconds.get();
    const samples = seconds.values.find(
      (v) => v.metricName?.endsWith("_count") && v.labels.method === "getblockhash",
    );
    assert.equal(samples?.value, 3);
  });

  it("typing: handler args follow the param specs (checked by tsc -b)", () => {
    const d = new RpcDispatcher({ warmup: null });
    d.registerMethod({
      name: "typed",
      params: [
        { name: "n", type: "integer", required: true },
        { name: "s", type: "string" },
        { name: "b", type: "boolean", default: false },
      ],
      handler: (args) => {
        const n: number = args.n;
        const s: string | undefined = args.s;
        const b: boolean = args.b;
        // @ts-expect-error an optional param without default may be undefined
        const t: string = args.s;
        return [n, s, b, t];
      },
    });
    assert.ok(d.has("typed"));
  });
});
