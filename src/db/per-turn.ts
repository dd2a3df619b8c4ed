// A read shared by everything that asks for it in one turn of the event loop.
// Under load many requests arrive together, in one poll of the sockets; they
// all need the same small value (posts_revision), and reading it once for
// all of them is as fresh as reading it for each: none of their clients can
// know of a write that committed after the turn began, except through an
// answer of this process, and `forget()` is called before such an answer goes.

export interface PerTurn<Value> {
  (): Promise<Value>;
  /** The next call reads afresh (called once this process has written). */
  forget(): void;
}

export function perTurn<Value>(read: () => Promise<Value>): PerTurn<Value> {
  let shared: Promise<Value> | undefined;
  const forget = () => {
    shared = undefined;
  };
  const get = () => {
    if (shared) return shared;
    const value = read();
    shared = value;
    setImmediate(() => {
      if (shared === value) shared = undefined;
    });
    // A failed read is not shared: the next caller tries again (this caller still gets the error).
    value.catch(() => {
      if (shared === value) shared = undefined;
    });
    return value;
  };
  return Object.assign(get, { forget });
}
