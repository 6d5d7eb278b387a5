import type { RegisteredRpcMethod, RpcParamSpec, RpcParamType } from "./types.ts";

/**
 * Help text in Core's layout, so `starling rpc help` reads like `bitcoin-cli help`: the list groups
 * one-line signatures under "== Category ==", and `help <method>` gives the signature, the
 * description, numbered arguments, and the result and examples sections.
 */

/** `getrawtransaction "txid" ( verbosity "blockhash" )`: optional arguments in one group. */
export function signature(method: RegisteredRpcMethod): string {
  const parts = [method.name];
  const firstOptional = method.params.findIndex((p) => p.required !== true);
  method.params.forEach((p, i) => {
    if (i === firstOptional) parts.push("(");
    parts.push(argToken(p));
  });
  if (firstOptional !== -1) parts.push(")");
  return parts.join(" ");
}

function argToken(p: RpcParamSpec): string {
  switch (p.type) {
    case "string":
    case "hex":
    case "hash":
      return `"${p.name}"`;
    case "object":
      return "{...}";
    case "array":
      return "[...]";
    default:
      return p.name;
  }
}

const TYPE_LABEL: Readonly<Record<RpcParamType, string>> = {
  string: "string",
  hex: "string",
  hash: "string",
  number: "numeric",
  integer: "numeric",
  amount: "numeric or string",
  boolean: "boolean",
  object: "json object",
  array: "json array",
  any: "any",
};

export function methodHelp(method: RegisteredRpcMethod): string {
  const sections = [signature(method)];
  if (method.help !== "") sections.push(method.help);
  if (method.params.length > 0) {
    const width = Math.max(...method.params.map((p) => p.name.length));
    const lines = method.params.map((p, i) => {
      const flags = [TYPE_LABEL[p.type], p.required === true ? "required" : "optional"];
      if (p.default !== undefined) flags.push(`default=${JSON.stringify(p.default)}`);
      const description = p.description === undefined ? "" : ` ${p.description}`;
      return `${i + 1}. ${p.name.padEnd(width)}    (${flags.join(", ")})${description}`;
    });
    sections.push(`Arguments:\n${lines.join("\n")}`);
  }
  if (method.result !== "") sections.push(`Result:\n${method.result}`);
  if (method.examples !== "") sections.push(`Examples:\n${method.examples}`);
  return sections.join("\n\n");
}

/** Core's CRPCTable::help listing: by category, then by name; hidden methods left out. */
export function helpList(methods: Iterable<RegisteredRpcMethod>): string {
  const visible = [...methods]
    .filter((m) => !m.hidden)
    .sort((a, b) =>
      a.category === b.category
        ? compare(a.name, b.name)
        : compare(a.category.toLowerCase(), b.category.toLowerCase()),
    );
  const blocks: string[] = [];
  let current: string | null = null;
  let lines: string[] = [];
  for (const m of visible) {
    if (m.category !== current) {
      if (current !== null) blocks.push(lines.join("\n"));
      current = m.category;
      lines = [`== ${capitalise(m.category)} ==`];
    }
    lines.push(signature(m));
  }
  if (current !== null) blocks.push(lines.join("\n"));
  return blocks.join("\n\n");
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}
