import { RpcError, RpcErrorCode } from "./errors.ts";
import type { JsonObject, JsonValue, RpcParamSpec } from "./types.ts";

/**
 * Turns a request's params (positional array or named object) into one argument object keyed by
 * parameter name, checking each against its spec the way Core does:
 * - a wrong number of positional arguments answers RPC_MISC_ERROR with the method's help text
 *   (what bitcoin-cli prints as usage);
 * - a value of the wrong JSON type answers RPC_TYPE_ERROR "Expected type number, got string";
 * - a missing required value, an unknown name or a bad value answers RPC_INVALID_PARAMETER.
 */
export function resolveArgs(
  specs: readonly RpcParamSpec[],
  params: readonly JsonValue[] | JsonObject,
  usage: () => string,
): Record<string, unknown> {
  const values = isArray(params) ? positional(specs, params, usage) : named(specs, params);
  const args: Record<string, unknown> = {};
  specs.forEach((spec, i) => {
    args[spec.name] = checkValue(spec, values[i]);
  });
  return args;
}

function isArray(params: readonly JsonValue[] | JsonObject): params is readonly JsonValue[] {
  return Array.isArray(params);
}

function positional(
  specs: readonly RpcParamSpec[],
  params: readonly JsonValue[],
  usage: () => string,
): readonly (JsonValue | undefined)[] {
  // Core's IsValidNumArgs: at least up to the last required parameter, at most all of them.
  const lastRequired = specs.findLastIndex((s) => s.required === true);
  if (params.length > specs.length || params.length < lastRequired + 1) {
    throw new RpcError(RpcErrorCode.MISC_ERROR, usage());
  }
  return params;
}

function named(
  specs: readonly RpcParamSpec[],
  params: JsonObject,
): readonly (JsonValue | undefined)[] {
  const known = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(params)) {
    if (!known.has(key)) {
      throw new RpcError(RpcErrorCode.INVALID_PARAMETER, `Unknown named parameter ${key}`);
    }
  }
  return specs.map((s) => (Object.hasOwn(params, s.name) ? params[s.name] : undefined));
}

function checkValue(spec: RpcParamSpec, value: JsonValue | undefined): unknown {
  if (value === undefined || value === null) {
    if (spec.required === true) {
      throw new RpcError(RpcErrorCode.INVALID_PARAMETER, `Missing required parameter ${spec.name}`);
    }
    return spec.default;
  }
  switch (spec.type) {
    case "any":
      return value;
    case "string":
      return expectType(value, "string");
    case "number":
      return expectType(value, "number");
    case "integer": {
      const n = expectType(value, "number") as number;
      if (!Number.isSafeInteger(n)) {
        throw new RpcError(
          RpcErrorCode.INVALID_PARAMETER,
          `${spec.name} must be an integer (not ${n})`,
        );
      }
      return n;
    }
    case "boolean":
      return expectType(value, "bool");
    case "object":
      return expectType(value, "object");
    case "array":
      return expectType(value, "array");
    case "amount":
      if (typeof value !== "number" && typeof value !== "string") {
        throw new RpcError(RpcErrorCode.TYPE_ERROR, "Amount is not a number or string");
      }
      return value;
    case "hex":
      return checkHex(spec.name, expectType(value, "string") as string);
    case "hash": {
      const s = expectType(value, "string") as string;
      if (s.length !== 64) {
        throw new RpcError(
          RpcErrorCode.INVALID_PARAMETER,
          `${spec.name} must be of length 64 (not ${s.length}, for '${s}')`,
        );
      }
      return checkHex(spec.name, s);
    }
  }
}

/** UniValue's uvTypeName: the names Core's type errors use. */
export type JsonTypeName = "null" | "bool" | "number" | "string" | "array" | "object";

export function jsonTypeName(value: JsonValue): JsonTypeName {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

function expectType(value: JsonValue, expected: JsonTypeName): JsonValue {
  const actual = jsonTypeName(value);
  if (actual !== expected) {
    throw new RpcError(RpcErrorCode.TYPE_ERROR, `Expected type ${expected}, got ${actual}`);
  }
  return value;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function checkHex(name: string, s: string): string {
  if (!HEX.test(s)) {
    throw new RpcError(
      RpcErrorCode.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${s}')`,
    );
  }
  return s;
}
