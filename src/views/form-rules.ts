// The constraints of a form's inputs, read from the schema the form's data is
// checked with, so the browser asks for what the server will accept.
import type { TObject, TProperties } from 'typebox';

/** The attributes of an input (or textarea) that constrain its value. */
export interface InputRules {
  required?: true;
  minLength?: number;
  maxLength?: number;
}

function lengths(schema: TObject, name: string): { minLength?: number; maxLength?: number } {
  return schema.properties[name] ?? {};
}

/**
 * The input attributes of the field `name` of an object schema: `required`
 * when the schema requires it, and its string lengths. A minimum of 1 is left
 * out: HTML does not apply minlength to an empty value and every other value
 * is at least 1 long, so it would change nothing.
 */
export function inputRules<Properties extends TProperties>(
  schema: TObject<Properties>,
  name: keyof Properties & string,
): InputRules {
  // An object schema without required fields has no `required` list at all.
  const required = (schema.required as readonly string[] | undefined)?.includes(name);
  const { minLength, maxLength } = lengths(schema, name);
  return {
    ...(required ? { required } : {}),
    ...(minLength !== undefined && minLength > 1 ? { minLength } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
}

/** The allowed length of the field `name` in words: "{min} to {max} characters.", or at most / at least. */
export function lengthHint<Properties extends TProperties>(
  schema: TObject<Properties>,
  name: keyof Properties & string,
): string {
  const { minLength = 0, maxLength } = lengths(schema, name);
  if (maxLength === undefined) return `At least ${minLength} characters.`;
  return minLength > 1 ? `${minLength} to ${maxLength} characters.` : `At most ${maxLength} characters.`;
}
