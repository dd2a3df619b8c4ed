// Queries built and compiled once, then run with new values. Kysely builds
// and compiles a query on every call, which on the hottest reads costs about
// as much as running them; the SQL of these never changes, only the values.
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * Compiles `build(...markers)` once. Each marker must be a distinct value that
 * appears exactly once among the compiled parameters; at run time the value at
 * each marker's position is replaced by the argument in the same place.
 */
export function prepareQuery<Args extends unknown[], Row>(
  db: Kysely<any>,
  build: (...args: Args) => Compilable<Row>,
  markers: Args,
): (...args: Args) => Promise<Row[]> {
  const compiled = build(...markers).compile();
  const positions = markers.map((marker) => {
    const found = compiled.parameters.filter((value) => value === marker).length;
    if (found !== 1) throw new Error(`prepared query: marker ${String(marker)} appears ${found} times`);
    return compiled.parameters.indexOf(marker);
  });
  return async (...args) => {
    const parameters = [...compiled.parameters];
    positions.forEach((position, i) => (parameters[position] = args[i]));
    const query: CompiledQuery<Row> = { ...compiled, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
