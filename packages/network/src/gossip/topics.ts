import { type GossipKind, gossipTopic } from "../constants.ts";

/** The two topics of one network and genesis, and the way back from a topic to its kind. */
export class GossipTopics {
  readonly block: string;
  readonly tx: string;

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
}
