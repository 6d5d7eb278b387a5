import type { Command } from "commander";
import { addRpcClientOptions, type RpcClientFlags } from "./rpc-client-options.ts";
import { printResult, runRpc } from "./rpc-command.ts";

/** `starling wallet ...`: thin calls to the running node's wallet RPC. */
export function addWalletCommand(program: Command): void {
  const wallet = program.command("wallet").description("use the running node's default wallet");
  addRpcClientOptions(
    wallet
      .command("create")
      .description("show the default wallet (created on the node's first start)"),
  ).action(async (flags: RpcClientFlags) => printResult(await runRpc(flags, "getwalletinfo", [])));
  addRpcClientOptions(wallet.command("address").description("a new receiving address")).action(
    async (flags: RpcClientFlags) => printResult(await runRpc(flags, "getnewaddress", [])),
  );
  addRpcClientOptions(wallet.command("balance").description("spendable balance in coins")).action(
    async (flags: RpcClientFlags) => printResult(await runRpc(flags, "getbalance", [])),
  );
  addRpcClientOptions(
    wallet
      .command("send")
      .description("send coins; prints the txid")
      .argument("<address>", "recipient address")
      .argument("<amount>", "amount in coins"),
  ).action(async (address: string, amount: string, flags: RpcClientFlags) =>
    printResult(await runRpc(flags, "sendtoaddress", [address, amount])),
  );
  addRpcClientOptions(
    wallet
      .command("history")
      .description("recent transactions")
      .option("--count <n>", "how many", "10"),
  ).action(async (flags: RpcClientFlags & { count: string }) =>
    printResult(await runRpc(flags, "listtransactions", ["*", Number(flags.count)])),
  );
}
