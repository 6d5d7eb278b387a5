import { BlockValidationError } from "../errors.ts";
import type { NetworkParams } from "../params/network-params.ts";
import { asertNextBits } from "../pow/asert.ts";
import type { BlockHeader } from "../primitives/block-header.ts";
import { MAX_FUTURE_BLOCK_TIME } from "./constants.ts";

/**
 * Bitcoin Core's ContextualCheckBlockHeader: the header against its parent and the node's clock.
 * - bits: exactly the network's next work (ASERT from the genesis anchor; powLimit on regtest);
 * - time: above the parent's median-time-past, at most 2 hours past the node's adjusted time;
 * - version: at least 4, since BIP34, BIP66 and BIP65 (versions 2, 3, 4) are in force from genesis.
 */

/** BIP34 (2), BIP66 (3) and BIP65 (4) raised the version; Starling starts at the last step. */
export const MIN_BLOCK_VERSION = 4;

/** What a header is checked against: its parent, and the node's idea of now. */
export interface HeaderContext {
  readonly parentHeight: number;
  readonly parentTime: number;
  /** Median-time-past of the parent: the median of the 11 block times ending with the parent. */
  readonly parentMedianTimePast: number;
  /** The node's network-adjusted Unix time in seconds (pure code never reads a clock). */
  readonly adjustedTime: number;
}

type WorkParams = Pick<NetworkParams, "powLimitBits" | "targetSpacing" | "asert">;

/** Core's GetNextWorkRequired: the bits the block after `parent` must carry. */
export function nextWorkRequired(
  params: WorkParams,
  parent: { readonly height: number; readonly time: number },
): number {
  const asert = params.asert;
  if (asert === null) return params.powLimitBits;
  return asertNextBits({
    anchorHeight: asert.anchorHeight,
    anchorParentTime: asert.anchorParentTime,
    anchorBits: asert.anchorBits,
    parentHeight: parent.height,
    parentTime: parent.time,
    spacing: params.targetSpacing,
    halfLife: asert.halfLife,
    powLimitBits: params.powLimitBits,
  });
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** ContextualCheckBlockHeader. Throws BlockValidationError with Core's reject reason. */
export function contextualCheckBlockHeader(
  header: BlockHeader,
  context: HeaderContext,
  params: WorkParams,
): void {
  const expected = nextWorkRequired(params, {
    height: context.parentHeight,
    time: context.parentTime,
  });
  if (header.bits !== expected) {
    throw new BlockValidationError("bad-diffbits", {
      detail: `incorrect proof of work: bits 0x${hex32(header.bits)}, expected 0x${hex32(expected)}`,
    });
  }
  if (header.time <= context.parentMedianTimePast) {
    throw new BlockValidationError("time-too-old", {
      detail: `block's timestamp ${header.time} is not after median-time-past ${context.parentMedianTimePast}`,
    });
  }
  if (header.time > context.adjustedTime + MAX_FUTURE_BLOCK_TIME) {
    // Not invalid, only early: the same header becomes acceptable as the clock advances.
    throw new BlockValidationError("time-too-new", {
      score: 0,
      action: "ignore",
      corruptionPossible: true,
      detail: `block timestamp ${header.time} too far in the future`,
    });
  }
  if (header.version < MIN_BLOCK_VERSION) {
    throw new BlockValidationError(`bad-version(0x${hex32(header.version)})`, {
      detail: `rejected nVersion=0x${hex32(header.version)} block`,
    });
  }
}
