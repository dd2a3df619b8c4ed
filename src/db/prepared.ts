// Queries built and compiled once, then run with new values. Kysely builds
// and compiles a query on every call, which on the hottest reads costs about
// as much as running them; the SQL of these never changes, only the values.
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { directReaderOf } from './database.js';

/**
 * Compiles `build(...markers)` once. Each marker must be a distinct value that
 * no real parameter of the query can equal (say, a negative number); at run
 * time every place it appears among the compiled parameters takes the
 * argument in the same position.
 */
export function prepareQuery<Args extends unknown[], Row>(
  db: Kysely<any>,
  build: (...args: Args) => Compilable<Row>,
  markers: Args,
): (...args: Args) => Promise<Row[]> {
  const compiled = build(...markers).compile();
  const positions = markers.map((marker) => {
    const found = compiled.parameters.flatMap((value, index) => (value === marker ? [index] : []));
    if (found.length === 0) throw new Error(`prepared query: marker ${String(marker)} is not among the parameters`);
    return found;
  });
  const direct = directReaderOf(db);
  return async (...args) => {
    const parameters = [...compiled.parameters];
    positions.forEach((places, i) => places.forEach((place) => (parameters[place] = args[i])));
    const rows = direct?.(compiled.sql, parameters);
    if (rows) return rows as Row[];
    const query: CompiledQuery<Row> = { ...compiled, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
