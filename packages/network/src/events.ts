import type { GossipKind } from "./constants.ts";
import type { BanEntry } from "./peers/ban-list.ts";
import type { GossipVerdict, PeerStatus } from "./types.ts";

export type Direction = "inbound" | "outbound";

export interface PeerStatusEvent {
  peer: string;
  status: PeerStatus;
  direction: Direction;
}

export interface PeerDisconnectEvent {
  peer: string;
  /** The last status the peer sent, null if the handshake never completed. */
  status: PeerStatus | null;
}

/** A gossip message seen for the first time, before validation (the first-sight record). */
export interface GossipFirstSightEvent {
  kind: GossipKind;
  topic: string;
  /** Display hex of the content id: block hash or txid. */
  msgId: string;
  /** The peer it came from (the propagation source, not necessarily its author). */
  from: string;
  /** Local time of receipt, Unix ms. */
  receivedAt: number;
  size: number;
}

export interface GossipValidatedEvent extends GossipFirstSightEvent {
  verdict: GossipVerdict;
  /** Time the validator took, ms. */
  validationMs: number;
}

/** An accepted gossip message. */
export interface GossipMessageEvent {
  msgId: string;
  bytes: Uint8Array;
  from: string;
  receivedAt: number;
}

export interface PeerPenaltyEvent {
  peer: string;
  reason: string;
  points: number;
  /** Points after this penalty (decayed total). */
  total: number;
}

export interface NetworkEvents {
  "peer:status": PeerStatusEvent;
  "peer:disconnect": PeerDisconnectEvent;
  "peer:penalty": PeerPenaltyEvent;
  "peer:ban": BanEntry;
  "gossip:first-sight": GossipFirstSightEvent;
  "gossip:validated": GossipValidatedEvent;
  "gossip:block": GossipMessageEvent;
  "gossip:tx": GossipMessageEvent;
}
