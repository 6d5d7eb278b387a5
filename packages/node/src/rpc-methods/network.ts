import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins } from "../wallet/amount.ts";

const CATEGORY = "network";
/** Core's default -bantime. */
const DEFAULT_BAN_SECONDS = 24 * 60 * 60;

function looksLikePeerId(text: string): boolean {
  return /^(12D3Koo|Qm|16U)[1-9A-HJ-NP-Za-km-z]+$/.test(text);
}

export function registerNetworkMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  const { network } = node;
  const peerIds = new Map<string, number>();
  let nextPeerNumber = 0;
  const peerNumber = (peer: string): number => {
    let n = peerIds.get(peer);
    if (n === undefined) {
      n = nextPeerNumber++;
      peerIds.set(peer, n);
    }
    return n;
  };

  rpc.registerMethod({
    name: "getpeerinfo",
    category: CATEGORY,
    help: "Returns data about each connected network peer.",
    handler: () =>
      network.peers().map((p) => ({
        id: peerNumber(p.peer),
        peerid: p.peer,
        addr: p.addresses[0] ?? "",
        addresses: p.addresses,
        inbound: p.direction === "inbound",
        connection_type: p.direction === "inbound" ? "inbound" : "outbound-full-relay",
        conntime: Math.floor(p.connectedAt / 1000),
        startingheight: p.status?.bestHeight ?? -1,
        synced_headers: p.status?.bestHeight ?? -1,
        score: p.score,
        gossipscore: p.gossipScore,
        misbehaviour: p.misbehaviour,
      })),
  });

  rpc.registerMethod({
    name: "getnetworkinfo",
    category: CATEGORY,
    help: "Returns an object containing various state info regarding P2P networking.",
    handler: () => {
      const peers = network.peers();
      const inbound = peers.filter((p) => p.direction === "inbound").length;
      const info = node.mempool.info();
      return {
        version: 100,
        subversion: "/Starling:0.1.0/",
        protocolversion: 1,
        localservices: "0000000000000000",
        localservicesnames: [],
        localrelay: true,
        timeoffset: 0,
        networkactive: network.isStarted,
        connections: peers.length,
        connections_in: inbound,
        connections_out: peers.length - inbound,
        networks: [],
        relayfee: amountToCoins(info.minrelaytxfee),
        incrementalfee: amountToCoins(info.incrementalrelayfee),
        localaddresses: [],
        warnings: "",
        peerid: network.peerId,
        listenaddresses: network.getMultiaddrs(),
      };
    },
  });

  rpc.registerMethod({
    name: "getconnectioncount",
    category: CATEGORY,
    help: "Returns the number of connections to other nodes.",
    handler: () => network.peers().length,
  });

  rpc.registerMethod({
    name: "addnode",
    category: CATEGORY,
    params: [
      {
        name: "node",
        type: "string",
        required: true,
        description: "A multiaddr ending in /p2p/<id>",
      },
      {
        name: "command",
        type: "string",
        required: true,
        description: "'add', 'remove' or 'onetry'",
      },
    ],
    help: "Connects to a peer by multiaddr ('add' and 'onetry' dial it; 'remove' hangs up).",
    handler: async ({ node: address, command }) => {
      if (command !== "add" && command !== "remove" && command !== "onetry") {
        throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "Error: Unknown command");
      }
      if (command === "remove") {
        const id = address.split("/p2p/")[1];
        if (id === undefined) {
          throw new RpcError(
            RpcErrorCode.CLIENT_NODE_NOT_ADDED,
            "Error: Node could not be removed.",
          );
        }
        await network.hangUp(id);
        return null;
      }
      try {
        await network.dial(address);
      } catch (err) {
        throw new RpcError(
          RpcErrorCode.CLIENT_NODE_NOT_CONNECTED,
          `could not connect to ${address}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return null;
    },
  });

  rpc.registerMethod({
    name: "disconnectnode",
    category: CATEGORY,
    params: [
      { name: "address", type: "string", default: "", description: "A peer id or multiaddr" },
      { name: "nodeid", type: "integer", description: "The id from getpeerinfo" },
    ],
    help: "Immediately disconnects from the specified peer.",
    handler: async ({ address, nodeid }) => {
      let peer: string | undefined;
      if (nodeid !== undefined) {
        peer = [...peerIds].find(([, n]) => n === nodeid)?.[0];
      } else {
        peer = address.includes("/p2p/") ? address.split("/p2p/")[1] : address;
      }
      if (peer === undefined || !network.peers().some((p) => p.peer === peer)) {
        throw new RpcError(
          RpcErrorCode.CLIENT_NODE_NOT_CONNECTED,
          "Node not found in connected nodes",
        );
      }
      await network.hangUp(peer);
      return null;
    },
  });

  rpc.registerMethod({
    name: "setban",
    category: CATEGORY,
    params: [
      { name: "subnet", type: "string", required: true, description: "A peer id" },
      { name: "command", type: "string", required: true, description: "'add' or 'remove'" },
      { name: "bantime", type: "integer", default: 0, description: "Seconds (0: 24 h)" },
      { name: "absolute", type: "boolean", default: false, description: "bantime is a Unix time" },
    ],
    help: "Bans (or unbans) a peer by its peer id.",
    handler: async ({ subnet, command, bantime, absolute }) => {
      if (!looksLikePeerId(subnet)) {
        throw new RpcError(
          RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET,
          "Error: Invalid peer id (IP bans are not supported: ban the peer id)",
        );
      }
      if (command === "add") {
        const now = Date.now();
        const ms = absolute
          ? bantime * 1000 - now
          : (bantime > 0 ? bantime : DEFAULT_BAN_SECONDS) * 1000;
        if (ms <= 0)
          throw new RpcError(
            RpcErrorCode.INVALID_PARAMETER,
            "Error: Absolute timestamp is in the past",
          );
        await network.ban(subnet, "manually added", ms);
        return null;
      }
      if (command === "remove") {
        if (!(await network.unban(subnet))) {
          throw new RpcError(
            RpcErrorCode.CLIENT_INVALID_IP_OR_SUBNET,
            "Error: Unban failed. Requested address/subnet was not previously manually banned.",
          );
        }
        return null;
      }
      throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "Error: Unknown command");
    },
  });

  rpc.registerMethod({
    name: "listbanned",
    category: CATEGORY,
    help: "List all banned peers.",
    handler: () => {
      const now = Date.now();
      return network.listBans().map((b) => ({
        address: b.peer,
        ban_created: Math.floor(b.bannedAt / 1000),
        banned_until: Math.floor(b.expiresAt / 1000),
        ban_duration: Math.floor((b.expiresAt - b.bannedAt) / 1000),
        time_remaining: Math.max(0, Math.floor((b.expiresAt - now) / 1000)),
        ban_reason: b.reason,
      }));
    },
  });

  rpc.registerMethod({
    name: "clearbanned",
    category: CATEGORY,
    help: "Clear all banned peers.",
    handler: async () => {
      await network.clearBans();
      return null;
    },
  });
}
