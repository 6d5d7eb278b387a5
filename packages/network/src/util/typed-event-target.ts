type Listener<T> = ((event: CustomEvent<T>) => void) | { handleEvent(event: CustomEvent<T>): void };
type AddOptions = Parameters<EventTarget["addEventListener"]>[2];
type RemoveOptions = Parameters<EventTarget["removeEventListener"]>[2];

/**
 * An EventTarget whose event names and `detail` types are checked: `Network` extends it with its
 * event map, so `network.addEventListener("gossip:block", (e) => e.detail.bytes)` is typed.
 */
export class TypedEventTarget<EventMap extends object> extends EventTarget {
  override addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: Listener<EventMap[K]>,
    options?: AddOptions,
  ): void {
    super.addEventListener(
      type,
      listener as Parameters<EventTarget["addEventListener"]>[1],
      options,
    );
  }

  override removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: Listener<EventMap[K]>,
    options?: RemoveOptions,
  ): void {
    super.removeEventListener(
      type,
      listener as Parameters<EventTarget["removeEventListener"]>[1],
      options,
    );
  }

  /** Dispatches `new CustomEvent(type, { detail })`. */
  emit<K extends keyof EventMap & string>(type: K, detail: EventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
