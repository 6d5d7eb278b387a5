import type { ConnectionGater } from "@libp2p/interface";
import { isPrivate } from "@libp2p/utils";
import type { Multiaddr } from "@multiformats/multiaddr";

export interface GaterInit {
  isBanned(peer: string): boolean;
  /** Off on public networks: private and loopback addresses are neither dialled nor accepted. */
  allowPrivateAddresses: boolean;
}

/**
 * Refuses banned peers at every stage libp2p asks (before dialling, and once the remote's identity
 * is known after the noise handshake, in both directions), and, when configured, private addresses.
 */
export function createConnectionGater(init: GaterInit): ConnectionGater {
  const privateDenied = (ma: Multiaddr): boolean => !init.allowPrivateAddresses && isPrivate(ma);
  return {
    denyDialPeer: (peerId) => init.isBanned(peerId.toString()),
    denyDialMultiaddr: (ma) => privateDenied(ma),
    denyInboundConnection: (maConn) => privateDenied(maConn.remoteAddr),
    denyInboundEncryptedConnection: (peerId) => init.isBanned(peerId.toString()),
    denyOutboundEncryptedConnection: (peerId) => init.isBanned(peerId.toString()),
    denyInboundUpgradedConnection: (peerId) => init.isBanned(peerId.toString()),
    denyOutboundUpgradedConnection: (peerId) => init.isBanned(peerId.toString()),
    filterMultiaddrForPeer: (_peer, ma) => !privateDenied(ma),
  };
}
