import { sql, type AnyColumn, type Placeholder, type SQL } from "drizzle-orm";

/**
 * `column = any(…)` for a list of text values passed as ONE JSON parameter: the statement's text
 * does not depend on how many values there are (so Postgres can keep its plan, and drizzle can
 * prepare it), and it reads by the column's index (`= any(array(…))` is an index condition).
 * `values` is the JSON text of a string array, or the placeholder of a prepared query standing for it.
 */
export function anyOf(column: AnyColumn, values: string | Placeholder): SQL {
  return sql`${column} = any(array(select jsonb_array_elements_text(${values}::jsonb)))`;
}
