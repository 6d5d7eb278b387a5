import { type GossipKind, gossipTopic } from "../constants.ts";
import { GossipDuplicateCounter } from "./duplicate-counter.ts";

/**
 * The two topics of one network and genesis, the way back from a topic to its kind, and the count
 * of duplicate deliveries gossipsub reports on them (wired in gossipsub-options.ts).
 */
export class GossipTopics {
  readonly block: string;
  readonly tx: string;
  readonly duplicates = new GossipDuplicateCounter();

  constructor(network: string, genesisHashHex: string) {
    this.block = gossipTopic(network, genesisHashHex, "block");
    this.tx = gossipTopic(network, genesisHashHex, "tx");
  }

  topic(kind: GossipKind): string {
    return kind === "block" ? this.block : this.tx;
  }

  kindOf(topic: string): GossipKind | null {
    if (topic === this.block) return "block";
    if (topic === this.tx) return "tx";
    return null;
  }

  all(): string[] {
    return [this.block, this.tx];
  }

  /** Topic → metric label, for gossipsub's metrics hooks. */
  labels(): Map<string, GossipKind> {
    return new Map([
      [this.block, "block"],
      [this.tx, "tx"],
    ]);
  }
}
