import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RpcError } from "../../src/rpc/errors.ts";
import { jsonTypeName, resolveArgs } from "../../src/rpc/params.ts";
import type { JsonObject, JsonValue, RpcParamSpec } from "../../src/rpc/types.ts";

const USAGE = "usage text";
const usage = () => USAGE;

function rejectsWith(fn: () => unknown, code: number, message?: string | RegExp): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof RpcError, "an RpcError");
    assert.equal(err.code, code);
    if (typeof message === "string") assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

const GETBLOCK: readonly RpcParamSpec[] = [
  { name: "blockhash", type: "hash", required: true },
  { name: "verbosity", type: "integer", default: 1 },
];

const HASH = "ab".repeat(32);

describe("resolveArgs", () => {
  it("maps positional params by order and fills defaults", () => {
    assert.deepEqual(resolveArgs(GETBLOCK, [HASH], usage), { blockhash: HASH, verbosity: 1 });
    assert.deepEqual(resolveArgs(GETBLOCK, [HASH, 2], usage), { blockhash: HASH, verbosity: 2 });
    assert.deepEqual(resolveArgs(GETBLOCK, [HASH, null], usage), {
      blockhash: HASH,
      verbosity: 1,
    });
  });

  it("maps named params by name, in any order", () => {
    assert.deepEqual(resolveArgs(GETBLOCK, { verbosity: 0, blockhash: HASH }, usage), {
      blockhash: HASH,
      verbosity: 0,
    });
  });

  it("leaves an optional param without default undefined", () => {
    const specs: RpcParamSpec[] = [{ name: "command", type: "string" }];
    assert.deepEqual(resolveArgs(specs, [], usage), { command: undefined });
  });

  it("answers usage (-1) for too many or too few positional params", () => {
    rejectsWith(() => resolveArgs(GETBLOCK, [], usage), -1, USAGE);
    rejectsWith(() => resolveArgs(GETBLOCK, [HASH, 1, 2], usage), -1, USAGE);
  });

  it("answers -8 for an unknown named param and a missing required one", () => {
    rejectsWith(
      () => resolveArgs(GETBLOCK, { blockhash: HASH, verbose: true }, usage),
      -8,
      "Unknown named parameter verbose",
    );
    rejectsWith(
      () => resolveArgs(GETBLOCK, { verbosity: 1 }, usage),
      -8,
      "Missing required parameter blockhash",
    );
    rejectsWith(() => resolveArgs(GETBLOCK, [null], usage), -8, /blockhash/);
  });

  it("answers -3 with Core's type names for a wrong JSON type", () => {
    const cases: [RpcParamSpec["type"], JsonValue, string][] = [
      ["number", "1", "Expected type number, got string"],
      ["integer", true, "Expected type number, got bool"],
      ["string", 5, "Expected type string, got number"],
      ["boolean", "true", "Expected type bool, got string"],
      ["object", [1], "Expected type object, got array"],
      ["array", { a: 1 }, "Expected type array, got object"],
      ["hex", 12, "Expected type string, got number"],
      ["amount", true, "Amount is not a number or string"],
    ];
    for (const [type, value, message] of cases) {
      rejectsWith(
        () => resolveArgs([{ name: "x", type, required: true }], [value], usage),
        -3,
        message,
      );
    }
  });

  it("answers -8 for a non-integer, bad hex or a hash of the wrong length", () => {
    const int: RpcParamSpec[] = [{ name: "height", type: "integer", required: true }];
    rejectsWith(() => resolveArgs(int, [1.5], usage), -8, "height must be an integer (not 1.5)");
    const hex: RpcParamSpec[] = [{ name: "hexstring", type: "hex", required: true }];
    rejectsWith(
      () => resolveArgs(hex, ["abc"], usage),
      -8,
      "hexstring must be hexadecimal string (not 'abc')",
    );
    rejectsWith(() => resolveArgs(hex, ["zz"], usage), -8);
    rejectsWith(
      () => resolveArgs(GETBLOCK, ["abcd"], usage),
      -8,
      "blockhash must be of length 64 (not 4, for 'abcd')",
    );
    rejectsWith(() => resolveArgs(GETBLOCK, ["g".repeat(64)], usage), -8, /hexadecimal/);
  });

  it("passes through every non-null value of its own JSON type (property)", () => {
    const json = fc.jsonValue().filter((v) => v !== null) as fc.Arbitrary<JsonValue>;
    fc.assert(
      fc.property(json, (value) => {
        const type = typeNameToParam(jsonTypeName(value));
        const specs: RpcParamSpec[] = [{ name: "v", type, required: true }];
        assert.deepEqual(resolveArgs(specs, [value], usage), { v: value });
        assert.deepEqual(resolveArgs(specs, { v: value } as JsonObject, usage), { v: value });
      }),
    );
  });
});

function typeNameToParam(name: ReturnType<typeof jsonTypeName>): RpcParamSpec["type"] {
  switch (name) {
    case "bool":
      return "boolean";
    case "null":
      return "any";
    default:
      return name;
  }
}
