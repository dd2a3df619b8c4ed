/** What a form posted without JavaScript shows again: the values sent and what was wrong with them. */
export interface FormState {
  values?: Record<string, string>;
  /** Messages by field name. */
  fields?: Record<string, string>;
  /** Messages about the form as a whole. */
  general?: string[];
}
