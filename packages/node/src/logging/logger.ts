import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
  type LoggerOptions as PinoOptions,
  pino,
} from "pino";
import pretty from "pino-pretty";
import { pinoRedactPaths, REDACTED, scrubSecrets } from "./redact.ts";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
]);

/** json: one JSON object a line; pretty: pino-pretty; auto: pretty on a TTY, JSON otherwise. */
export type LogFormat = "json" | "pretty" | "auto";

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where lines go; default stdout. Tests pass a memory stream. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Colours in pretty output; default: whether the destination is a TTY. */
  readonly colorize?: boolean;
}

export const DEFAULT_LOGGER_OPTIONS: LoggerOptions = Object.freeze({
  level: "info",
  format: "auto",
});

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * The node's root logger (pino). Subsystems take `moduleLogger(root, "chain")`. Secret-named
 * fields are redacted at any depth (see redact.ts), in JSON and pretty output alike.
 */
export function createLogger(options: Partial<LoggerOptions> = {}): Logger {
  const opts = { ...DEFAULT_LOGGER_OPTIONS, ...options };
  const tty = isTty(opts.destination);
  const usePretty = opts.format === "pretty" || (opts.format === "auto" && tty);
  const pinoOptions: PinoOptions = {
    level: opts.level,
    redact: { paths: pinoRedactPaths(), censor: REDACTED },
    formatters: { log: (fields) => scrubSecrets(fields) },
  };
  if (usePretty) {
    const stream = pretty({
      colorize: opts.colorize ?? tty,
      translateTime: "SYS:standard",
      // "WARN: [rpc] message": the module reads as a prefix rather than a field below.
      messageFormat: "{if module}[{module}] {end}{msg}",
      ignore: "pid,hostname,module",
      sync: true,
      ...(opts.destination === undefined ? {} : { destination: opts.destination }),
    });
    return scrubChildBindings(pino(pinoOptions, stream));
  }
  return scrubChildBindings(
    opts.destination === undefined
      ? pino(pinoOptions)
      : pino(pinoOptions, opts.destination as DestinationStream),
  );
}

/**
 * pino applies `formatters.log` to each line's fields but not to child bindings, which it
 * stringifies once when the child is made (or on setBindings). Children are
 * `Object.create(parent)`, so overrides on the root are inherited by every descendant.
 */
function scrubChildBindings(root: Logger): Logger {
  const { child, setBindings } = root;
  root.child = function (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) {
    return Reflect.apply(child, this, [scrubSecrets(bindings), options]) as Logger;
  } as unknown as Logger["child"];
  root.setBindings = function (this: Logger, bindings: Bindings) {
    Reflect.apply(setBindings, this, [scrubSecrets(bindings)]);
  };
  return root;
}

function isTty(destination: LoggerOptions["destination"]): boolean {
  if (destination === undefined) return process.stdout.isTTY === true;
  return (destination as { isTTY?: boolean }).isTTY === true;
}
