import type { ChainState } from "@starling/chain";
import type { Mempool } from "@starling/mempool";
import type { Logger } from "pino";
import { LogModule, moduleLogger } from "../logging/component-logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Wallet } from "../wallet/index.ts";

/**
 * The chain's events drive the mempool, the wallet and the chain metrics; the mempool's drive the
 * wallet (docs/wallet.md, "The node interface"). Returns the unsubscribe function.
 */
export function wireChainEvents(parts: {
  chain: ChainState;
  mempool: Mempool;
  wallet: Wallet | null;
  metrics: Metrics;
  logger: Logger;
}): () => void {
  const { chain, mempool, wallet, metrics } = parts;
  const log = moduleLogger(parts.logger, LogModule.CHAIN);
  const walletLog = moduleLogger(parts.logger, LogModule.WALLET);
  const saveFailed = (err: unknown): void => walletLog.error({ err }, "wallet save failed");
  const offs: (() => void)[] = [];

  const setTipMetrics = (): void => {
    const tip = chain.tip;
    metrics.chain.height.set(tip.height);
    metrics.chain.tipTimestamp.set(tip.time);
    metrics.chain.headers.set(chain.bestHeader.height);
  };
  setTipMetrics();

  offs.push(
    chain.events.on("block:connected", (e) => {
      mempool.blockConnected(e.block, e.height);
      wallet?.blockConnected(e.block, e.height).catch(saveFailed);
      metrics.chain.blocksConnected.inc();
    }),
    chain.events.on("block:disconnected", (e) => {
      mempool.blockDisconnected(e.block, e.height);
      wallet?.blockDisconnected(e.block, e.height).catch(saveFailed);
    }),
    chain.events.on("tip:changed", (e) => {
      setTipMetrics();
      metrics.mempool.setInfo(mempool.info());
      if (e.disconnected > 0) {
        metrics.chain.reorgs.inc();
        metrics.chain.reorgDepth.observe(e.disconnected);
        log.warn({ depth: e.disconnected, tip: e.tip.hash }, "chain reorganisation");
        mempool.updateForReorg().catch((err: unknown) => log.error({ err }, "mempool reorg"));
      }
      if (e.tip.height % 100 === 0 || e.connected === 1) {
        log.info({ height: e.tip.height, hash: e.tip.hash }, "new tip");
      }
    }),
    chain.events.on("header:accepted", (e) => {
      if (e.height > chain.tip.height) metrics.chain.headers.set(chain.bestHeader.height);
    }),
    chain.events.on("block:invalid", (e) => {
      log.warn({ hash: e.hash, code: e.code, source: e.source }, "invalid block");
    }),
    mempool.on("tx-added", (e) => {
      metrics.mempool.added.inc();
      metrics.mempool.setInfo(mempool.info());
      wallet?.txAdded(e.tx).catch(saveFailed);
    }),
    mempool.on("tx-removed", (e) => {
      metrics.mempool.removed.inc({ reason: e.reason });
      metrics.mempool.setInfo(mempool.info());
      if (e.reason !== "block") wallet?.txRemoved(e.txid).catch(saveFailed);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
