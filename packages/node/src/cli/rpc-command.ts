import type { Command } from "commander";
import { callRpc } from "../rpc/client.ts";
import { RpcError } from "../rpc/errors.ts";
import { stringifyRpcJson } from "../rpc/types.ts";
import { describeError } from "./errors.ts";
import { addRpcClientOptions, type RpcClientFlags, rpcTarget } from "./rpc-client-options.ts";

/** bitcoin-cli's rule: a param that parses as JSON is JSON, anything else is a string. */
export function parseCliParam(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Prints a result like bitcoin-cli: strings as they are, anything else as indented JSON. */
export function printResult(result: unknown): void {
  if (typeof result === "string") process.stdout.write(`${result}\n`);
  else if (result === null || result === undefined) return;
  else process.stdout.write(`${JSON.stringify(JSON.parse(stringifyRpcJson(result)), null, 2)}\n`);
}

/** Calls one method and prints it; on failure prints bitcoin-cli's error lines and exits 1. */
export async function runRpc(
  flags: RpcClientFlags,
  method: string,
  params: readonly unknown[] | Readonly<Record<string, unknown>>,
): Promise<unknown> {
  try {
    const { url, auth } = rpcTarget(flags);
    return await callRpc(url, auth, method, params, { timeoutMs: 900_000 });
  } catch (err) {
    if (err instanceof RpcError) {
      process.stderr.write(`error code: ${err.code}\nerror message:\n${err.message}\n`);
    } else {
      process.stderr.write(`starling: ${describeError(err)}\n`);
    }
    process.exit(1);
  }
}

export function addRpcCommand(program: Command): void {
  addRpcClientOptions(
    program
      .command("rpc")
      .description("call a running node's JSON-RPC method, like bitcoin-cli")
      .argument("<method>", "the method, e.g. getblockchaininfo")
      .argument("[params...]", "positional params (JSON where valid, else strings)")
      .option("--named", "params are name=value pairs"),
  ).action(async (method: string, raw: string[], flags: RpcClientFlags & { named?: boolean }) => {
    let params: unknown[] | Record<string, unknown>;
    if (flags.named === true) {
      params = {};
      for (const pair of raw) {
        const eq = pair.indexOf("=");
        if (eq <= 0) {
          process.stderr.write(`starling: --named params must be name=value, got "${pair}"\n`);
          process.exit(1);
        }
        params[pair.slice(0, eq)] = parseCliParam(pair.slice(eq + 1));
      }
    } else {
      params = raw.map(parseCliParam);
    }
    printResult(await runRpc(flags, method, params));
  });
}
