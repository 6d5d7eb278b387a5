import { type Block, checkProofOfWork } from "@starling/chain";
import { abortReason, InvalidSolutionError } from "./errors.ts";
import { PowWorkerPool } from "./pow-pool.ts";
import { assembleBlock, type BlockTemplate, templateCoinbase, templateHeader } from "./template.ts";

/**
 * Mining one template: the nonce range on the worker threads; when it holds no solution, a new
 * header and again. The new header takes the clock's time when it has moved past the header's (time
 * rolling: the coinbase and merkle root stay), else the next extra-nonce (a new coinbase, its
 * merkle root from the template's branch). A solution is checked on this thread with chain's
 * checkProofOfWork before it is returned.
 */

export interface MineBlockOptions {
  readonly signal?: AbortSignal;
  /** Workers to use; without one, a pool of `threads` is started and closed around the call. */
  readonly pool?: PowWorkerPool;
  /** Threads of the temporary pool (default: cores − 1, at least 1). */
  readonly threads?: number;
  /** The node's adjusted time in seconds, for time rolling; without it only the extra-nonce rolls. */
  readonly now?: () => number;
  /** Nonces tried per header before rolling (default 2^32, all of them; tests use fewer). */
  readonly noncesPerHeader?: number;
  /** The first extra-nonce (default 0). */
  readonly extraNonce?: bigint;
  /** Called before each header is searched (for logs). */
  readonly onHeader?: (job: { readonly extraNonce: bigint; readonly time: number }) => void;
}

/** Mines `template` until a block meets its target; rejects with an AbortError when aborted. */
export async function mineBlock(
  template: BlockTemplate,
  options: MineBlockOptions = {},
): Promise<Block> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const pool =
    options.pool ??
    new PowWorkerPool(options.threads === undefined ? {} : { threads: options.threads });
  try {
    let extraNonce = options.extraNonce ?? 0n;
    let time = template.time;
    for (;;) {
      const coinbase = templateCoinbase(template, extraNonce);
      const header = templateHeader(template, coinbase, time);
      options.onHeader?.({ extraNonce, time });
      const nonce = await pool.search(
        {
          header: header.toBytes(),
          target: template.target,
          ...(options.noncesPerHeader === undefined ? {} : { count: options.noncesPerHeader }),
        },
        signal,
      );
      if (nonce !== undefined) {
        const block = assembleBlock(template, { extraNonce, time, nonce });
        if (!checkProofOfWork(block.hash(), template.bits, template.powLimitBits)) {
          throw new InvalidSolutionError(
            `nonce ${nonce} does not meet bits 0x${template.bits.toString(16)}: ${block.hash()}`,
          );
        }
        return block;
      }
      const clock = options.now?.();
      if (clock !== undefined && clock > time) time = clock;
      else extraNonce++;
    }
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}
