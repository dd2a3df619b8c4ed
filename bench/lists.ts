// Indexing that fails loudly: with noUncheckedIndexedAccess every `list[i]`
// may be undefined, and an index out of range here is a bug, not a value.

/** `list[index]`; throws when there is no such element. */
export function element<T>(list: ArrayLike<T>, index: number): T {
  const value = list[index];
  if (value === undefined) throw new RangeError(`no element ${index} (of ${list.length})`);
  return value;
}

/** An element chosen by `random` (a number in [0, 1)), e.g. the harness's seeded PRNG. */
export const randomElement = <T>(list: readonly T[], random: () => number): T =>
  element(list, Math.floor(random() * list.length));
