import { existsSync } from "node:fs";
import { loadOrCreatePeerKey } from "@starling/network";
import type { Command } from "commander";
import { describeError } from "./errors.ts";

export function addKeygenCommand(program: Command): void {
  program
    .command("keygen")
    .description("write a peer identity (for a bootstrap node) and print its peer id")
    .requiredOption("--out <file>", "where to write the key (mode 0600)")
    .option("--host <ip>", "public IPv4 address for the printed multiaddr", "127.0.0.1")
    .option("--port <port>", "TCP port for the printed multiaddr", "0")
    .action(async (flags: { out: string; host: string; port: string }) => {
      try {
        if (existsSync(flags.out)) {
          throw new Error(`${flags.out} exists already; refusing to overwrite a peer identity`);
        }
        const key = await loadOrCreatePeerKey(flags.out);
        const peerId = key.publicKey.toString();
        process.stdout.write(`peer id: ${peerId}\n`);
        process.stdout.write(`multiaddr: /ip4/${flags.host}/tcp/${flags.port}/p2p/${peerId}\n`);
      } catch (err) {
        process.stderr.write(`starling: ${describeError(err)}\n`);
        process.exit(1);
      }
    });
}
