// Queries built and compiled once, then run with new values. Kysely builds
// and compiles a query on every call, which on the hottest reads costs about
// as much as running them; the SQL of these never changes, only the values.
import type { Compilable, CompiledQuery } from 'kysely';
import { directReaderOf, type DB } from './database.js';

/**
 * Stand-ins for the values of a prepared query, one per name. Each is a
 * unique object, so it can never be mistaken for a constant of the query;
 * typed `never` so it fits wherever the query builder takes a value.
 */
export type Placeholders<Name extends string> = Readonly<Record<Name, never>>;

/**
 * Compiles `build(placeholders)` once. At run time every place a placeholder
 * landed among the compiled parameters takes the value of the same name.
 */
export function prepareQuery<Name extends string, Row>(
  db: DB,
  names: readonly Name[],
  build: (placeholders: Placeholders<Name>) => Compilable<Row>,
): (values: Readonly<Record<Name, unknown>>) => Promise<Row[]> {
  const markers = new Map(names.map((name) => [name, Object.freeze({ placeholder: name })]));
  const compiled = build(Object.fromEntries(markers) as unknown as Placeholders<Name>).compile();
  const places = names.map((name) => {
    const marker = markers.get(name);
    const found = compiled.parameters.flatMap((value, index) => (value === marker ? [index] : []));
    if (found.length === 0) throw new Error(`prepared query: ${name} is not among its parameters`);
    return [name, found] as const;
  });
  const direct = directReaderOf(db);
  return async (values) => {
    const parameters = [...compiled.parameters];
    for (const [name, indexes] of places) for (const index of indexes) parameters[index] = values[name];
    const rows = direct?.(compiled.sql, parameters);
    if (rows) return rows as Row[];
    const query: CompiledQuery<Row> = { ...compiled, parameters };
    return (await db.executeQuery(query)).rows;
  };
}
