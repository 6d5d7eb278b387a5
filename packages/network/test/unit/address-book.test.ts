import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { AddressBook } from "../../src/discovery/address-book.ts";
import { tempDir } from "../utils/fixtures.ts";

it("the address book keeps the most recent peers, persisted atomically", async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, "nested", "address-book.json");
  let now = 0;
  const book = new AddressBook(path, () => now, 3);
  for (const peer of ["a", "b", "c", "d"]) {
    now += 10;
    book.record(peer, [`/ip4/127.0.0.1/tcp/${now}`, `/ip4/127.0.0.1/tcp/${now}`]);
  }
  book.record("e", []);
  assert.deepEqual(
    book.list().map((e) => e.peer),
    ["d", "c", "b"],
    "oldest evicted, empty ignored",
  );
  assert.deepEqual(book.list()[0]!.addrs, ["/ip4/127.0.0.1/tcp/40"], "addresses deduplicated");
  await Promise.all([book.persist(), book.persist(), book.persist()]);
  const reloaded = new AddressBook(path, () => now, 3);
  await reloaded.load();
  assert.deepEqual(reloaded.list(), book.list());
});
