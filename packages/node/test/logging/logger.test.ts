import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import type { MinerLogger } from "@starling/miner";
import fc from "fast-check";
import {
  type ComponentLogger,
  LogModule,
  moduleLogger,
  SILENT_COMPONENT_LOGGER,
} from "../../src/logging/component-logger.ts";
import { createLogger, isLogLevel, type LoggerOptions } from "../../src/logging/logger.ts";
import { isSecretKey, REDACTED, scrubSecrets } from "../../src/logging/redact.ts";

/** A destination that keeps what is written. */
function memory(): Writable & { text(): string; lines(): Record<string, unknown>[] } {
  let out = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  return Object.assign(stream, {
    text: () => out,
    lines: () =>
      out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  });
}

const SECRETS = {
  password: "hunter2-top",
  passphrase: "correct-horse-battery",
  mnemonic: "abandon abandon about",
  seed: "000102030405060708090a0b0c0d0e0f",
  privateKey: "L1aW4aubDFB7yfras2S1mN3bqg9nwySY8nkoLmJebSLD5BWv3ENZ",
  cookie: "__cookie__:feedface",
  authorization: "Basic c2VjcmV0OnNlY3JldA==",
};

function loggedWithSecrets(log: ReturnType<typeof createLogger>): void {
  const err = Object.assign(new Error("unlock failed"), { passphrase: SECRETS.passphrase });
  log.info({ ...SECRETS }, "top level");
  log.info({ wallet: { ...SECRETS } }, "one level down");
  log.info({ a: { b: { c: { password: SECRETS.password, mnemonic: SECRETS.mnemonic } } } }, "deep");
  log.info({ keys: [{ privateKey: SECRETS.privateKey }, { seed: SECRETS.seed }] }, "in arrays");
  log.info({ req: { headers: { Authorization: SECRETS.authorization } } }, "headers");
  log.info({ rpc_password: SECRETS.password, private_key: SECRETS.privateKey }, "snake case");
  log.error({ err }, "error object");
  log.child({ module: "wallet", cookie: SECRETS.cookie }).warn({}, "child bindings");
  log.child({ nested: { deeper: { passphrase: SECRETS.passphrase } } }).info("deep bindings");
  const grandchild = log.child({ module: "rpc" }).child({ a: { b: { seed: SECRETS.seed } } });
  grandchild.info("grandchild bindings");
  grandchild.setBindings({ later: { x: { mnemonic: SECRETS.mnemonic } } });
  grandchild.info("set bindings");
}

function assertNoSecret(text: string): void {
  for (const [key, secret] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(secret), `${key} leaked: ${text}`);
  }
}

describe("logger redaction", () => {
  for (const format of ["json", "pretty"] as const) {
    it(`never writes secret fields (${format})`, () => {
      const out = memory();
      const log = createLogger({ level: "trace", format, destination: out, colorize: false });
      loggedWithSecrets(log);
      const text = out.text();
      assert.ok(text.includes("top level") && text.includes("set bindings"), "lines were written");
      assert.ok(text.includes(REDACTED), "redaction marker present");
      assertNoSecret(text);
    });
  }

  it("keeps the structure and other fields, and does not mutate the logged object", () => {
    const out = memory();
    const log = createLogger({ level: "info", format: "json", destination: out });
    const fields = { user: "alice", wallet: { name: "w1", password: SECRETS.password } };
    log.info(fields, "unlock");
    const [line] = out.lines();
    assert.deepEqual(line?.wallet, { name: "w1", password: REDACTED });
    assert.equal(line?.user, "alice");
    assert.equal(fields.wallet.password, SECRETS.password, "caller's object untouched");
  });

  it("scrubs secret keys at any depth (property)", () => {
    const secretKey = fc.constantFrom(
      "password",
      "Passphrase",
      "MNEMONIC",
      "seed",
      "private_key",
      "cookie",
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 5 }),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "c"), tie("node"), { maxKeys: 3 }),
        fc.record({ key: secretKey, inner: tie("node") }).map(({ key, inner }) => ({
          [key]: "S3CRET-VALUE",
          inner,
        })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        assert.ok(!JSON.stringify(scrubSecrets(value) ?? null).includes("S3CRET-VALUE"));
      }),
    );
  });

  it("recognises secret keys whatever their case or separators", () => {
    for (const key of [
      "password",
      "PASSWORD",
      "privateKey",
      "private-key",
      "rpcPassword",
      "Authorization",
    ]) {
      assert.equal(isSecretKey(key), true, key);
    }
    for (const key of ["passwordFile", "cookieFile", "seeds", "user", "hash"]) {
      assert.equal(isSecretKey(key), false, key);
    }
  });
});

describe("logger", () => {
  it("writes JSON lines with level, time, module and message", () => {
    const out = memory();
    const root = createLogger({ level: "info", format: "json", destination: out });
    const chain = moduleLogger(root, LogModule.CHAIN);
    chain.info({ height: 10 }, "connected block");
    const [line] = out.lines();
    assert.equal(line?.module, "chain");
    assert.equal(line?.height, 10);
    assert.equal(line?.msg, "connected block");
    assert.equal(line?.level, 30);
    assert.equal(typeof line?.time, "number");
  });

  it("filters by level", () => {
    const out = memory();
    const log = createLogger({ level: "warn", format: "json", destination: out });
    log.debug("hidden");
    log.info("hidden too");
    log.warn("shown");
    log.error("shown too");
    assert.deepEqual(
      out.lines().map((l) => l.msg),
      ["shown", "shown too"],
    );
    const silent = memory();
    createLogger({ level: "silent", format: "json", destination: silent }).error("nothing");
    assert.equal(silent.text(), "");
  });

  it("writes pretty lines (not JSON) with format pretty, JSON with auto on a non-TTY", () => {
    const pretty = memory();
    createLogger({ level: "info", format: "pretty", destination: pretty, colorize: false }).info(
      { height: 3 },
      "pretty line",
    );
    assert.match(pretty.text(), /INFO.*pretty line/);
    moduleLogger(
      createLogger({ level: "info", format: "pretty", destination: pretty, colorize: false }),
      LogModule.SYNC,
    ).info("module line");
    assert.match(pretty.text(), /INFO: \[sync\] module line/);
    assert.throws(() => JSON.parse(pretty.text()));
    const auto = memory();
    createLogger({ level: "info", format: "auto", destination: auto }).info("auto line");
    assert.equal(auto.lines()[0]?.msg, "auto line");
  });

  it("chooses pretty output for a TTY destination in auto mode", () => {
    const tty = Object.assign(memory(), { isTTY: true });
    const options: Partial<LoggerOptions> = { format: "auto", destination: tty, colorize: false };
    createLogger(options).info("on a terminal");
    assert.match(tty.text(), /INFO.*on a terminal/);
  });

  it("hands a pino child to packages that take a (fields, message) logger", () => {
    const out = memory();
    const network: ComponentLogger = moduleLogger(
      createLogger({ level: "debug", format: "json", destination: out }),
      LogModule.NETWORK,
    );
    network.debug({ peer: "12D3KooW" }, "dial failed");
    assert.deepEqual(
      out.lines().map((l) => [l.module, l.peer, l.msg]),
      [["network", "12D3KooW", "dial failed"]],
    );
  });

  it("gives the miner a logger of its own type (checked by tsc -b)", () => {
    const out = memory();
    const root = createLogger({ level: "info", format: "json", destination: out });
    const miner: MinerLogger = moduleLogger(root, LogModule.MINER);
    const silent: MinerLogger = SILENT_COMPONENT_LOGGER;
    miner.info({ threads: 2 }, "mining");
    silent.info({ threads: 2 }, "not written");
    assert.deepEqual(
      out.lines().map((l) => [l.module, l.threads, l.msg]),
      [["miner", 2, "mining"]],
    );
  });

  it("knows the level names", () => {
    assert.equal(isLogLevel("debug"), true);
    assert.equal(isLogLevel("verbose"), false);
  });
});
