import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import {
  basicAuthHeader,
  parseBasicAuth,
  RpcAuthenticator,
  setupRpcAuth,
} from "../../src/rpc/auth.ts";
import {
  COOKIE_USER,
  cookiePath,
  parseCookie,
  readAuthCookie,
  writeAuthCookie,
} from "../../src/rpc/cookie.ts";
import { RpcServerError, RpcServerErrorCode } from "../../src/rpc/errors.ts";

describe("HTTP Basic auth", () => {
  it("round-trips credentials through the header (property)", () => {
    fc.assert(
      fc.property(
        fc.string().filter((u) => !u.includes(":")),
        fc.string(),
        (user, password) => {
          assert.deepEqual(parseBasicAuth(basicAuthHeader({ user, password })), {
            user,
            password,
          });
        },
      ),
    );
  });

  it("rejects absent and malformed headers", () => {
    assert.equal(parseBasicAuth(undefined), null);
    assert.equal(parseBasicAuth("Bearer abc"), null);
    assert.equal(parseBasicAuth("Basic !!!"), null);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from("nocolon").toString("base64")}`), null);
  });

  it("accepts exactly the configured user and password", () => {
    const auth = new RpcAuthenticator({ user: "u", password: "p:w" });
    assert.equal(auth.check(basicAuthHeader({ user: "u", password: "p:w" })), "u");
    assert.equal(auth.check(basicAuthHeader({ user: "u", password: "p:W" })), null);
    assert.equal(auth.check(basicAuthHeader({ user: "u", password: "p:w " })), null);
    assert.equal(auth.check(basicAuthHeader({ user: "v", password: "p:w" })), null);
    assert.equal(auth.check(undefined), null);
  });
});

describe("auth cookie", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "starling-cookie-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("writes __cookie__:<64 hex> to <datadir>/.cookie with mode 0600, no newline", async () => {
    const cookie = await writeAuthCookie(dir);
    assert.equal(cookie.path, join(dir, ".cookie"));
    const text = await readFile(cookie.path, "utf8");
    assert.match(text, /^__cookie__:[0-9a-f]{64}$/);
    assert.equal(text, `${COOKIE_USER}:${cookie.credentials.password}`);
    assert.equal((await stat(cookie.path)).mode & 0o777, 0o600);
    assert.deepEqual(await readAuthCookie(cookie.path), cookie.credentials);
    await cookie.remove();
    await assert.rejects(stat(cookie.path), { code: "ENOENT" });
  });

  it("writes a new password each time and replaces a leftover temp file", async () => {
    await writeFile(`${cookiePath(dir)}.tmp`, "stale", { mode: 0o644 });
    const a = await writeAuthCookie(dir);
    const b = await writeAuthCookie(dir);
    assert.notEqual(a.credentials.password, b.credentials.password);
    assert.equal((await stat(b.path)).mode & 0o777, 0o600);
    await a.remove();
    assert.equal(
      await readFile(b.path, "utf8"),
      `__cookie__:${b.credentials.password}`,
      "not ours",
    );
    await b.remove();
  });

  it("reads a cookie's first line and rejects other text", () => {
    assert.deepEqual(parseCookie("__cookie__:abc\nignored"), {
      user: "__cookie__",
      password: "abc",
    });
    assert.throws(() => parseCookie("nocolon"), RpcServerError);
  });

  it("reports a missing cookie file as a cookie error", async () => {
    await assert.rejects(
      readAuthCookie(join(dir, "absent")),
      (err) => err instanceof RpcServerError && err.code === RpcServerErrorCode.COOKIE,
    );
  });

  it("uses user/password when given, the cookie otherwise", async () => {
    const withPassword = await setupRpcAuth({ user: "a", password: "b", datadir: dir });
    assert.equal(withPassword.cookie, null);
    assert.equal(
      withPassword.authenticator.check(basicAuthHeader({ user: "a", password: "b" })),
      "a",
    );
    await assert.rejects(stat(cookiePath(dir)), { code: "ENOENT" });

    const withCookie = await setupRpcAuth({ datadir: dir });
    assert.ok(withCookie.cookie !== null);
    const creds = await readAuthCookie(cookiePath(dir));
    assert.equal(withCookie.authenticator.check(basicAuthHeader(creds)), COOKIE_USER);
    await withCookie.cookie.remove();
  });

  it("refuses a user without a password and the other way round", async () => {
    for (const partial of [{ user: "a" }, { password: "b" }]) {
      await assert.rejects(
        setupRpcAuth({ ...partial, datadir: dir }),
        (err) =>
          err instanceof RpcServerError && err.code === RpcServerErrorCode.INCOMPLETE_CREDENTIALS,
      );
    }
  });
});
