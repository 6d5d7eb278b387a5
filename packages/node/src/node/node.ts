import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { addressToScript, ChainState, type NetworkParams, Transaction } from "@starling/chain";
import { createMempool, type Mempool } from "@starling/mempool";
import { type CpuMiner, createMiner } from "@starling/miner";
import { createNetwork, type Network } from "@starling/network";
import {
  type ChainStore,
  KvChainStateStore,
  NODE_MAX_BATCH_OPS,
  RocksDbStore,
} from "@starling/storage";
import type { Logger } from "pino";
import { LogModule, moduleLogger } from "../logging/component-logger.ts";
import { createLogger } from "../logging/logger.ts";
import { minerMetrics, networkMetrics } from "../metrics/adapters.ts";
import { createMetrics, type Metrics } from "../metrics/metrics.ts";
import { type MetricsServer, startMetricsServer } from "../metrics/server.ts";
import { FirstSightLog } from "../propagation/first-sight-log.ts";
import { wireFirstSight, wireSyncFirstSight } from "../propagation/wire-first-sight.ts";
import { createGossipValidators } from "../relay/gossip-validators.ts";
import { chainStatusProvider, createReqRespHandlers } from "../relay/req-resp-handlers.ts";
import { setupRpcAuth } from "../rpc/auth.ts";
import { RpcDispatcher } from "../rpc/dispatcher.ts";
import { type RpcServer, startRpcServer } from "../rpc/server.ts";
import { registerAllMethods } from "../rpc-methods/index.ts";
import { createSync } from "../sync/index.ts";
import { CachingScriptJobRunner } from "../verify/caching-runner.ts";
import { ScriptCache } from "../verify/script-cache.ts";
import { createVerifyPool, type VerifyPool } from "../verify/verify-pool.ts";
import { createWallet, loadWallet, type Wallet, walletFilePath } from "../wallet/index.ts";
import { LocalRelay } from "./local-relay.ts";
import { type NodeOptions, networkParamsOf, resolveNodeOptions } from "./options.ts";
import { wireChainEvents } from "./wire-events.ts";

/** The initial block download as the node drives it (../sync). */
export type NodeSync = ReturnType<typeof createSync>;

export const DEFAULT_WALLET_NAME = "default";
const MEMPOOL_FILE = "mempool.dat";

/**
 * A running Starling node. Built by `createNode` in Lodestar's BeaconNode.init order (logger,
 * metrics, storage, chain, mempool, wallet, network, sync, miner, RPC, metrics server) and
 * stopped in reverse order.
 */
export interface StarlingNode {
  readonly options: NodeOptions;
  readonly params: NetworkParams;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly chain: ChainState;
  readonly chainStore: ChainStore;
  readonly mempool: Mempool;
  readonly wallet: Wallet | null;
  readonly network: Network;
  readonly sync: NodeSync;
  readonly miner: CpuMiner;
  readonly relay: LocalRelay;
  readonly propagation: FirstSightLog;
  readonly rpc: RpcServer;
  readonly metricsServer: MetricsServer | null;
  /** Aborted when the node begins to stop. */
  readonly signal: AbortSignal;
  /** Resolves when `stop()` has finished (also after the `stop` RPC). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

export interface CreateNodeComponents {
  /** A logger to use instead of one built from the options (tests pass a silent one). */
  readonly logger?: Logger;
  /** Unix ms; default Date.now. */
  readonly now?: () => number;
}

type Cleanup = { readonly name: string; readonly run: () => Promise<void> | void };

/**
 * Opens and starts everything. If a step fails, what was opened is closed in reverse order and
 * the error is thrown (storage's DatabaseLockedError, WrongNetworkError, a busy port...).
 */
export async function createNode(
  partial: Partial<NodeOptions> & Pick<NodeOptions, "network">,
  components: CreateNodeComponents = {},
): Promise<StarlingNode> {
  const options = resolveNodeOptions(partial);
  const params = networkParamsOf(options);
  const now = components.now ?? Date.now;
  const abort = new AbortController();
  const cleanups: Cleanup[] = [];

  const logger =
    components.logger ?? createLogger({ level: options.logLevel, format: options.logFormat });
  const log = moduleLogger(logger, LogModule.NODE);
  const metrics = createMetrics();

  async function unwind(): Promise<void> {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (err) {
        log.error({ err, step: step.name }, "error while stopping");
      }
    }
  }

  try {
    await mkdir(options.datadir, { recursive: true });
    log.info({ network: params.name, datadir: options.datadir }, "starting Starling node");

    // Script verification: one pool for blocks and the mempool, with the shared cache in front.
    const pool: VerifyPool = createVerifyPool(
      options.verifyThreads === undefined ? {} : { threads: options.verifyThreads },
    );
    await pool.start();
    cleanups.push({ name: "verify pool", run: () => pool.close() });
    const runner = new CachingScriptJobRunner(pool, new ScriptCache());

    // Storage: RocksDB's own lock is the datadir lock.
    const kv = await RocksDbStore.open(join(options.datadir, "chainstate"), {
      cacheSize: Math.min(256, options.dbcache) * 1024 * 1024,
    });
    let storeOpened = false;
    cleanups.push({
      name: "rocksdb",
      run: async () => {
        if (!storeOpened) await kv.close();
      },
    });
    const store = await KvChainStateStore.open(kv, {
      network: params.name,
      genesisHash: params.genesisHash,
      utxoCacheBytes: options.dbcache * 1024 * 1024,
      txIndex: options.txindex,
      addressIndex: options.addrindex,
      // Large flushes go in chunks with turns of the event loop between them (issue 8's 50 ms rule).
      maxBatchOps: NODE_MAX_BATCH_OPS,
    });
    storeOpened = true;

    const chainLog = moduleLogger(logger, LogModule.CHAIN);
    const chain = await ChainState.open(
      { params, store, scriptRunner: runner },
      {
        ...(options.assumevalid === undefined ? {} : { assumeValid: options.assumevalid }),
        onProgress: (p) => {
          if (p.height % 1000 === 0) chainLog.info(p, "connecting stored blocks");
        },
      },
    );
    cleanups.push({ name: "chain", run: () => chain.close() });
    if (options.reindex) {
      chainLog.info({}, "reindexing the chainstate from the stored blocks");
      await chain.reindex({
        signal: abort.signal,
        onProgress: (p) => {
          if (p.height % 1000 === 0) chainLog.info(p, "reindex");
        },
      });
    }
    chainLog.info({ height: chain.tip.height, hash: chain.tip.hash }, "chain loaded");

    // Mempool, fed back from its file.
    const mempoolLog = moduleLogger(logger, LogModule.MEMPOOL);
    const mempool = createMempool({
      chain: {
        params,
        tip: () => chain.tip,
        getCoins: (outpoints) => chain.getCoins(outpoints),
        medianTimePastAt: chain.medianTimePastAt,
      },
      runner,
      now: () => now() / 1000,
    });
    const mempoolPath = join(options.datadir, MEMPOOL_FILE);
    if (existsSync(mempoolPath)) {
      try {
        const loaded = await mempool.loadFromFile(mempoolPath);
        mempoolLog.info({ ...loaded }, "mempool loaded");
      } catch (err) {
        mempoolLog.warn({ err }, "could not load the saved mempool; starting empty");
      }
    }
    cleanups.push({
      name: "mempool",
      run: async () => {
        await mempool.idle();
        await mempool.saveToFile(mempoolPath);
        mempoolLog.info({ transactions: mempool.count }, "mempool saved");
      },
    });

    const propagation = new FirstSightLog(options.propagationCapacity);
    const relay = new LocalRelay({
      chain,
      mempool,
      propagation,
      logger: moduleLogger(logger, "relay"),
      now,
    });

    // Wallet: the default one is created on first start.
    let wallet: Wallet | null = null;
    if (!options.disableWallet) {
      const walletLog = moduleLogger(logger, LogModule.WALLET);
      const path = walletFilePath(options.datadir, DEFAULT_WALLET_NAME);
      const source = {
        coinbaseMaturity: params.coinbaseMaturity,
        tipHeight: () => chain.tip.height,
        estimateFee: (target: number) => mempool.estimateFee(target),
        broadcast: async (bytes: Uint8Array) => {
          const result = await relay.submitTx(Transaction.fromBytes(bytes));
          return result.txid;
        },
        addressOutputs: (scripts: readonly Uint8Array[]) =>
          addressOutputs(chain, store.chainStore, scripts),
      };
      await mkdir(join(options.datadir, "wallet"), { recursive: true });
      if (existsSync(path)) {
        wallet = await loadWallet({ path, network: params, source });
      } else {
        wallet = await createWallet({ path, network: params, source });
        walletLog.info({ path }, "created the default wallet");
      }
      const w = wallet;
      cleanups.push({ name: "wallet", run: () => w.close() });
      await w.rescan();
      for (const txid of mempool.txids()) {
        const tx = mempool.get(txid);
        if (tx !== undefined) await w.txAdded(tx);
      }
    }

    const unwire = wireChainEvents({ chain, mempool, wallet, metrics, logger });
    cleanups.push({ name: "events", run: unwire });

    // Network.
    const syncHolder: { onUnknownParent: (peer: string) => void } = {
      onUnknownParent: () => {},
    };
    const network = await createNetwork(
      {
        network: params.name,
        genesisHash: params.genesisHash,
        listen: [...options.listen],
        announce: [...options.announce],
        bootstrap: [...options.bootstrap],
        dataDir: join(options.datadir, "network"),
        allowPrivateAddresses: options.allowPrivateAddresses,
        dht: options.dht,
        maxConnections: options.maxPeers,
        targetPeers: Math.min(options.maxPeers, 8),
        blockSpacingSeconds: params.targetSpacing,
      },
      {
        chainStatus: chainStatusProvider(chain),
        validators: createGossipValidators({
          chain,
          mempool,
          now,
          onUnknownParent: (peer) => syncHolder.onUnknownParent(peer),
          logger: moduleLogger(logger, "relay"),
        }),
        handlers: createReqRespHandlers(chain, store.chainStore, mempool),
        metrics: networkMetrics(metrics),
        logger: moduleLogger(logger, LogModule.NETWORK),
        now,
      },
    );
    const unwireSight = wireFirstSight(propagation, network, chain, metrics, now);
    cleanups.push({ name: "first-sight", run: unwireSight });
    await network.start();
    relay.attach(network);
    cleanups.push({
      name: "network",
      run: async () => {
        relay.attach(null);
        await network.stop();
      },
    });
    moduleLogger(logger, LogModule.NETWORK).info(
      { peerId: network.peerId, addresses: network.getMultiaddrs() },
      "network started",
    );

    // Sync.
    const sync = createSync(
      { chain, network, logger: moduleLogger(logger, LogModule.SYNC), metrics, now },
      {},
    );
    syncHolder.onUnknownParent = (peer) => sync.onUnknownParent(peer);
    cleanups.push({ name: "sync first-sight", run: wireSyncFirstSight(propagation, sync.events) });
    await sync.start();
    cleanups.push({ name: "sync", run: () => sync.stop() });

    // Miner: always built (generatetoaddress); mines continuously with --mine.
    const minerLog = moduleLogger(logger, LogModule.MINER);
    let payout: Uint8Array = new Uint8Array([0x51]);
    if (options.miningAddress !== undefined) {
      payout = addressToScript(options.miningAddress, params.prefixes);
    } else if (options.mine) {
      if (wallet === null) {
        throw new Error("--mine needs --mining-address when the wallet is disabled");
      }
      const address = await wallet.getNewAddress();
      payout = addressToScript(address, params.prefixes);
      minerLog.info({ address }, "mining to a new address of the default wallet");
    }
    const miner = createMiner({
      chain: {
        getTip: () => chain.tip,
        now: () => Math.floor(now() / 1000),
      },
      txSource: mempool,
      network: params,
      payoutScript: payout,
      ...(options.minerThreads === undefined ? {} : { threads: options.minerThreads }),
      onBlockFound: async (block) => {
        const result = await relay.submitBlock(block, abort.signal);
        if (options.mine) {
          minerLog.info({ height: result.height, hash: result.hash }, "mined a block");
        }
      },
      metrics: minerMetrics(metrics),
      logger: minerLog,
    });
    cleanups.push({ name: "miner", run: () => miner.close() });
    const offTip = chain.events.on("tip:changed", () => {
      if (miner.mining) miner.newTip();
    });
    cleanups.push({ name: "miner tip", run: offTip });
    if (options.mine) miner.start();

    // RPC.
    const rpcLog = moduleLogger(logger, LogModule.RPC);
    const auth = await setupRpcAuth(
      { user: options.rpcUser, password: options.rpcPassword, datadir: options.datadir },
      rpcLog,
    );
    if (auth.cookie !== null) {
      const cookie = auth.cookie;
      cleanups.push({ name: "cookie", run: () => cookie.remove() });
    }
    let stopPromise: Promise<void> | null = null;
    const dispatcher = new RpcDispatcher(
      { warmup: "Loading", onStop: () => void node.stop(), now },
      { metrics: metrics.rpc, logger: rpcLog },
    );
    const rpc = await startRpcServer(
      { host: options.rpcBind, port: options.rpcPort, allowPublicBind: options.rpcAllowPublic },
      { dispatcher, authenticator: auth.authenticator, logger: rpcLog },
    );
    cleanups.push({ name: "rpc", run: () => rpc.close() });
    rpcLog.info({ url: rpc.url }, "RPC server listening");

    let metricsServer: MetricsServer | null = null;
    if (options.metricsPort !== null) {
      metricsServer = await startMetricsServer({
        port: options.metricsPort,
        host: options.metricsBind,
        registry: metrics.register,
        logger: moduleLogger(logger, LogModule.METRICS),
      });
      const server = metricsServer;
      cleanups.push({ name: "metrics server", run: () => server.close() });
      moduleLogger(logger, LogModule.METRICS).info({ url: server.url }, "metrics server listening");
    }

    let resolveStopped: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      resolveStopped = resolve;
    });
    const node: StarlingNode = {
      options,
      params,
      logger,
      metrics,
      chain,
      chainStore: store.chainStore,
      mempool,
      wallet,
      network,
      sync,
      miner,
      relay,
      propagation,
      rpc,
      metricsServer,
      signal: abort.signal,
      stopped,
      stop(): Promise<void> {
        stopPromise ??= (async () => {
          log.info({}, "stopping");
          abort.abort(new Error("node stopping"));
          await unwind();
          log.info({}, "stopped");
          resolveStopped();
        })();
        return stopPromise;
      },
    };
    registerAllMethods(dispatcher, node);
    dispatcher.setReady();
    log.info({ height: chain.tip.height, rpc: rpc.url, peerId: network.peerId }, "node started");
    return node;
  } catch (err) {
    abort.abort(err);
    await unwind();
    throw err;
  }
}

/**
 * The wallet's view of the address index: each indexed output with its spent flag (from the UTXO
 * set), coinbase flag and block hash and time.
 */
async function addressOutputs(
  chain: ChainState,
  chainStore: ChainStore,
  scripts: readonly Uint8Array[],
): Promise<
  {
    txid: string;
    index: number;
    value: bigint;
    height: number;
    scriptPubKey: Uint8Array;
    coinbase: boolean;
    spent: boolean;
    blockHash: string;
    blockTime: number;
  }[]
> {
  const found: {
    script: Uint8Array;
    txid: string;
    index: number;
    value: bigint;
    height: number;
  }[] = [];
  for (const script of scripts) {
    for (const o of await chainStore.addressOutputs(script)) found.push({ script, ...o });
  }
  if (found.length === 0) return [];
  const coins = await chain.getCoins(found.map((o) => ({ txid: o.txid, index: o.index })));
  const coinbaseOf = new Map<number, string>();
  const out = [];
  for (let i = 0; i < found.length; i++) {
    const o = found[i]!;
    const blockHash = chain.getHashAtHeight(o.height);
    if (blockHash === undefined) continue;
    const info = chain.getBlockInfo(blockHash)!;
    let coinbaseTxid = coinbaseOf.get(o.height);
    if (coinbaseTxid === undefined) {
      const block = await chain.getBlock(blockHash);
      coinbaseTxid = block?.transactions[0]?.txid() ?? "";
      coinbaseOf.set(o.height, coinbaseTxid);
    }
    out.push({
      txid: o.txid,
      index: o.index,
      value: o.value,
      height: o.height,
      scriptPubKey: o.script,
      coinbase: coinbaseTxid === o.txid,
      spent: coins[i] === undefined,
      blockHash,
      blockTime: info.header.time,
    });
  }
  return out;
}
