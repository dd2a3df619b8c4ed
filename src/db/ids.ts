// Row ids are 32-bit signed integers on both engines (SQLite would take more,
// PostgreSQL's `integer` would not).

/** Ids beyond this never exist. */
export const MAX_ID = 2_147_483_647;

/** False for values no id column can hold: such a lookup finds nothing without asking the database. */
export const isStorableId = (id: number): boolean => Number.isInteger(id) && id >= 1 && id <= MAX_ID;
