import { Command } from "commander";
import { addKeygenCommand } from "./keygen-command.ts";
import { addNodeCommand } from "./node-command.ts";
import { addObserveCommand } from "./observe-command.ts";
import { addRpcCommand } from "./rpc-command.ts";
import { addWalletCommand } from "./wallet-command.ts";

/** The `starling` program: node, rpc, wallet, keygen, observe. */
export function createProgram(): Command {
  const program = new Command("starling")
    .description("Starling: a proof-of-work blockchain node on js-libp2p")
    .version("0.1.0")
    .showHelpAfterError();
  addNodeCommand(program);
  addRpcCommand(program);
  addWalletCommand(program);
  addKeygenCommand(program);
  addObserveCommand(program);
  return program;
}
