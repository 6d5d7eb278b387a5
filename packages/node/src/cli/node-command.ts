import type { Command } from "commander";
import { createNode, type StarlingNode } from "../node/node.ts";
import { type RawConfig, resolveCliConfig } from "./config.ts";
import { describeError } from "./errors.ts";
import { attachSyncProgressBar } from "./sync-progress-bar.ts";

/** Flags as commander hands them (kebab-case flags, camelCase keys). */
interface NodeFlags {
  readonly network?: string;
  readonly networkFile?: string;
  readonly datadir?: string;
  readonly listen?: string[];
  readonly announce?: string[];
  readonly bootstrap?: string[];
  readonly maxPeers?: string;
  readonly dht?: boolean;
  readonly mine?: boolean;
  readonly miningAddress?: string;
  readonly minerThreads?: string;
  readonly verifyThreads?: string;
  readonly rpcPort?: string;
  readonly rpcBind?: string;
  readonly rpcUser?: string;
  readonly rpcPassword?: string;
  readonly rpcAllowPublic?: boolean;
  readonly metricsPort?: string;
  readonly metrics?: boolean;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly dbcache?: string;
  readonly txindex?: boolean;
  readonly addrindex?: boolean;
  readonly reindex?: boolean;
  readonly assumevalid?: string;
  readonly disableWallet?: boolean;
}

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} must be a whole number >= 0`);
  return n;
}

/** Only flags actually given: unset ones must not hide env or file values. */
export function flagsToConfig(flags: NodeFlags, given: (name: string) => boolean): RawConfig {
  const out: RawConfig = {
    network: flags.network,
    networkFile: flags.networkFile,
    datadir: flags.datadir,
    listen: flags.listen,
    announce: flags.announce,
    bootstrap: flags.bootstrap,
    maxPeers: int(flags.maxPeers, "--max-peers"),
    mine: given("mine") ? flags.mine : undefined,
    miningAddress: flags.miningAddress,
    minerThreads: int(flags.minerThreads, "--miner-threads"),
    verifyThreads: int(flags.verifyThreads, "--verify-threads"),
    rpcPort: int(flags.rpcPort, "--rpc-port"),
    rpcBind: flags.rpcBind,
    rpcUser: flags.rpcUser,
    rpcPassword: flags.rpcPassword,
    rpcAllowPublic: given("rpcAllowPublic") ? flags.rpcAllowPublic : undefined,
    metricsPort: int(flags.metricsPort, "--metrics-port"),
    logLevel: flags.logLevel,
    logFormat: flags.logFormat,
    dbcache: int(flags.dbcache, "--dbcache"),
    txindex: given("txindex") ? flags.txindex : undefined,
    addrindex: given("addrindex") ? flags.addrindex : undefined,
    reindex: given("reindex") ? flags.reindex : undefined,
    assumevalid: flags.assumevalid,
    disableWallet: given("disableWallet") ? flags.disableWallet : undefined,
    dht: given("dht") ? flags.dht : undefined,
  };
  return out;
}

export function addNodeCommand(program: Command): void {
  program
    .command("node")
    .description("run a full node")
    .option("--network <name>", "regtest, devnet or testnet (default devnet)")
    .option("--network-file <file>", "a network definition (its own genesis and bootstrap list)")
    .option("--datadir <dir>", "data directory (default ~/.starling/<network>)")
    .option("--listen <multiaddr...>", "libp2p listen addresses")
    .option("--announce <multiaddr...>", "addresses to announce instead of the listen addresses")
    .option("--bootstrap <multiaddr...>", "bootstrap peers (multiaddrs ending in /p2p/<id>)")
    .option("--max-peers <n>", "connection limit")
    .option("--no-dht", "do not run the Kad-DHT")
    .option("--mine", "mine continuously")
    .option("--mining-address <address>", "where mined coins go (default: the wallet)")
    .option("--miner-threads <n>", "proof-of-work threads")
    .option("--verify-threads <n>", "script verification threads")
    .option("--rpc-port <port>", "JSON-RPC port (0: any free port)")
    .option("--rpc-bind <host>", "JSON-RPC bind address (default 127.0.0.1)")
    .option("--rpc-allow-public", "allow a non-loopback --rpc-bind")
    .option("--rpc-user <user>", "RPC user (with --rpc-password; default: cookie auth)")
    .option("--rpc-password <password>", "RPC password")
    .option("--metrics-port <port>", "Prometheus /metrics port")
    .option("--log-level <level>", "trace, debug, info, warn, error, fatal or silent")
    .option("--log-format <format>", "json, pretty or auto")
    .option("--dbcache <MiB>", "UTXO cache size")
    .option("--txindex", "keep a transaction index (getrawtransaction of any transaction)")
    .option("--no-addrindex", "no address index (the wallet needs it)")
    .option("--reindex", "rebuild the chainstate from stored blocks")
    .option("--assumevalid <hash>", "skip script checks of this block's ancestors")
    .option("--disable-wallet", "do not load or create the default wallet")
    .action(async (flags: NodeFlags, command: Command) => {
      const given = (name: string): boolean => command.getOptionValueSource(name) === "cli";
      let debug = flags.logLevel === "debug" || flags.logLevel === "trace";
      let datadir: string | undefined;
      let node: StarlingNode | undefined;
      try {
        const options = await resolveCliConfig(flagsToConfig(flags, given), process.env);
        debug = options.logLevel === "debug" || options.logLevel === "trace";
        datadir = options.datadir;
        node = await createNode(options);
      } catch (err) {
        process.stderr.write(
          `starling: ${describeError(err, datadir === undefined ? {} : { datadir })}\n`,
        );
        if (debug && err instanceof Error && err.stack !== undefined) {
          process.stderr.write(`${err.stack}\n`);
        }
        process.exit(1);
      }
      const running = node;
      // A bar on a terminal; logs carry the same progress everywhere else.
      const detachBar = attachSyncProgressBar(running.sync.events, process.stderr);
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals > 1) {
          process.stderr.write(`starling: second ${signal}, exiting now\n`);
          process.exit(130);
        }
        running.logger.info({ signal }, "shutting down");
        void running.stop();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      await running.stopped;
      detachBar();
      running.logger.flush?.();
      process.exit(0);
    });
}
