/** A map from event name to listener signature, e.g. `{ slaveadded: (slave: SlaveConnection) => void }`. */
export type EventMap = { [event: string]: (...args: never[]) => void };

/**
 * Minimal typed emitter with the `addEventListener` / `removeEventListener` names of Enslavism 0.9. Listeners get plain
 * arguments (0.9 passed the SlaveConnection itself), not DOM Event objects.
 */
export class TypedEmitter<Events extends EventMap> {
  #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  addEventListener<K extends keyof Events>(event: K, listener: Events[K]): void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
  }

  removeEventListener<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** @internal */
  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (e) {
        // A throwing listener must not stop the others or the socket handler that emitted; report it like the DOM does.
        reportListenerError(e);
      }
    }
  }

  /** @internal Drops every listener, so a closed object keeps no references to application code. */
  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}

function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else setTimeout(() => { throw error; });
}
