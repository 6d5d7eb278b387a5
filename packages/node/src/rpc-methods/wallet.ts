import { isValidAddress } from "@starling/chain";
import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins, parseCoins } from "../wallet/amount.ts";
import { WalletError } from "../wallet/errors.ts";
import type { Wallet } from "../wallet/index.ts";
import { txRejection } from "./rawtransactions.ts";

const CATEGORY = "wallet";

/** WalletError carries Core's code already; node rejections become Core's -25/-26. */
async function walletCall<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WalletError) throw new RpcError(err.code, err.message, { cause: err });
    if (err instanceof RpcError) throw err;
    throw txRejection(err);
  }
}

export function registerWalletMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  const wallet = (): Wallet => {
    if (node.wallet === null) {
      throw new RpcError(RpcErrorCode.METHOD_NOT_FOUND, "Method not found (wallet disabled)");
    }
    return node.wallet;
  };

  rpc.registerMethod({
    name: "getnewaddress",
    category: CATEGORY,
    params: [
      { name: "label", type: "string", default: "", description: "Ignored" },
      {
        name: "address_type",
        type: "string",
        default: "legacy",
        description: "Only legacy (P2PKH)",
      },
    ],
    help: "Returns a new address for receiving payments.",
    handler: () => walletCall(() => wallet().getNewAddress()),
  });

  rpc.registerMethod({
    name: "getbalance",
    category: CATEGORY,
    params: [
      { name: "dummy", type: "string", description: 'Must be excluded or set to "*"' },
      { name: "minconf", type: "integer", default: 0, description: "Ignored" },
    ],
    help: "Returns the total available balance (confirmed and mature, plus own unconfirmed change).",
    handler: () => amountToCoins(wallet().getBalance().trusted),
  });

  rpc.registerMethod({
    name: "getbalances",
    category: CATEGORY,
    help: "Returns an object with all balances in coins.",
    handler: () => {
      const b = wallet().getBalance();
      return {
        mine: {
          trusted: amountToCoins(b.trusted),
          untrusted_pending: amountToCoins(b.unconfirmed - (b.trusted - b.confirmed)),
          immature: amountToCoins(b.immature),
        },
      };
    },
  });

  rpc.registerMethod({
    name: "getwalletinfo",
    category: CATEGORY,
    help: "Returns an object containing various wallet state info.",
    handler: () => wallet().getWalletInfo(),
  });

  rpc.registerMethod({
    name: "listunspent",
    category: CATEGORY,
    params: [
      { name: "minconf", type: "integer", default: 1, description: "Minimum confirmations" },
      {
        name: "maxconf",
        type: "integer",
        default: 9_999_999,
        description: "Maximum confirmations",
      },
      { name: "addresses", type: "array", default: [], description: "Only these addresses" },
      {
        name: "include_unsafe",
        type: "boolean",
        default: true,
        description: "Include unsafe outputs",
      },
    ],
    help: "Returns array of unspent transaction outputs with between minconf and maxconf confirmations.",
    handler: ({ minconf, maxconf, addresses, include_unsafe }) =>
      walletCall(() =>
        wallet().listUnspent({
          minconf,
          maxconf,
          includeUnsafe: include_unsafe,
          ...(addresses.length > 0 ? { addresses: addresses.map(String) } : {}),
        }),
      ),
  });

  rpc.registerMethod({
    name: "listtransactions",
    category: CATEGORY,
    params: [
      { name: "label", type: "string", default: "*", description: "Ignored" },
      { name: "count", type: "integer", default: 10, description: "How many" },
      { name: "skip", type: "integer", default: 0, description: "How many to skip" },
    ],
    help: "Returns up to 'count' most recent transactions skipping the first 'skip'.",
    handler: ({ count, skip }) => walletCall(() => wallet().listTransactions(count, skip)),
  });

  rpc.registerMethod({
    name: "sendtoaddress",
    category: CATEGORY,
    params: [
      { name: "address", type: "string", required: true, description: "The address to send to" },
      { name: "amount", type: "amount", required: true, description: "The amount in coins" },
      { name: "comment", type: "string", description: "Ignored" },
      { name: "comment_to", type: "string", description: "Ignored" },
      {
        name: "subtractfeefromamount",
        type: "boolean",
        default: false,
        description: "Fee from amount",
      },
    ],
    help: "Send an amount to a given address; returns the txid.",
    handler: ({ address, amount, subtractfeefromamount }) =>
      walletCall(() => {
        if (!isValidAddress(address, node.params.prefixes)) {
          throw new RpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Invalid address");
        }
        return wallet().sendToAddress(address, parseCoins(amount), {
          subtractFeeFromAmount: subtractfeefromamount,
        });
      }),
  });

  rpc.registerMethod({
    name: "encryptwallet",
    category: CATEGORY,
    params: [{ name: "passphrase", type: "string", required: true, description: "The passphrase" }],
    help: "Encrypts the wallet with 'passphrase'; the wallet is then locked.",
    handler: ({ passphrase }) =>
      walletCall(async () => {
        await wallet().encryptWallet(passphrase);
        return "wallet encrypted; the keypool has been flushed and the wallet is locked.";
      }),
  });

  rpc.registerMethod({
    name: "walletpassphrase",
    category: CATEGORY,
    params: [
      { name: "passphrase", type: "string", required: true, description: "The passphrase" },
      { name: "timeout", type: "integer", required: true, description: "Seconds to stay unlocked" },
    ],
    help: "Stores the wallet decryption key in memory for 'timeout' seconds.",
    handler: ({ passphrase, timeout }) =>
      walletCall(async () => {
        await wallet().walletPassphrase(passphrase, timeout);
        return null;
      }),
  });

  rpc.registerMethod({
    name: "walletlock",
    category: CATEGORY,
    help: "Removes the wallet encryption key from memory, locking the wallet.",
    handler: () =>
      walletCall(() => {
        wallet().walletLock();
        return null;
      }),
  });

  rpc.registerMethod({
    name: "validateaddress",
    category: "util",
    params: [{ name: "address", type: "string", required: true, description: "The address" }],
    help: "Return information about the given address.",
    handler: ({ address }) => {
      if (!isValidAddress(address, node.params.prefixes)) return { isvalid: false };
      const info = node.wallet === null ? undefined : node.wallet.getAddressInfo(address);
      return {
        isvalid: true,
        address,
        scriptPubKey: info?.scriptPubKey,
        isscript: address.length > 0 && info?.scriptPubKey?.startsWith("a914") === true,
        iswitness: false,
        ...(info === undefined ? {} : { ismine: info.ismine }),
      };
    },
  });
}
