// Form controls: a labelled input or textarea with the places for its error
// and hint, the form's own error message, and fields bound to a schema.
import type { ComponentChildren } from 'preact';
import type { TObject, TProperties } from 'typebox';
import { inputRules, type InputRules } from '../form-rules.js';

/** What a form posted without JavaScript shows again: the values sent and what was wrong with them. */
export interface FormState {
  values?: Record<string, string>;
  /** Messages by field name. */
  fields?: Record<string, string>;
  /** Messages about the form as a whole. */
  general?: string[];
}

interface InputProps {
  form: string;
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  autocomplete?: string;
  /** The on-screen keyboard to offer (`numeric` for a code). */
  inputmode?: 'numeric' | 'text';
}

interface ControlAttributes {
  id: string;
  name: string;
  class: string;
  'aria-invalid'?: 'true';
  'aria-describedby': string;
}

/** The label, a control and the places for its error message and hint, wired together by id. */
function FormGroup(props: InputProps & { control: (attributes: ControlAttributes) => preact.VNode }) {
  const { form, name, label, error, hint, control } = props;
  const id = `${form}-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <div class="mb-3">
      <label for={id} class="form-label">
        {label}
      </label>
      {control({
        id,
        name,
        class: `form-control${error ? ' is-invalid' : ''}`,
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': hint ? `${errorId} ${hintId}` : errorId,
      })}
      <div class="invalid-feedback" id={errorId} data-error-for={name}>
        {error}
      </div>
      {hint && (
        <div class="form-text" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** A labelled input with the place its error message goes. */
export function Field(props: InputProps) {
  const { type = 'text', value, required, minLength, maxLength, autocomplete, inputmode } = props;
  const rules = { required, minLength, maxLength, autocomplete, inputmode };
  return (
    <FormGroup {...props} control={(attributes) => <input {...attributes} type={type} value={value} {...rules} />} />
  );
}

export function TextArea(props: InputProps & { rows: number }) {
  const { value, rows, required, minLength, maxLength } = props;
  const rules = { required, minLength, maxLength };
  return (
    <FormGroup
      {...props}
      control={(attributes) => (
        <textarea {...attributes} rows={rows} {...rules}>
          {value}
        </textarea>
      )}
    />
  );
}

export function FormError({ message }: { message?: string }) {
  return (
    <div class={`alert alert-danger${message ? '' : ' d-none'}`} role="alert" data-form-error>
      {message}
    </div>
  );
}

interface BoundFieldProps {
  label: string;
  type?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
  hint?: string;
  /** Shown instead of what was posted (an edit form's current value). */
  value?: string;
  /** Instead of the schema's rules. */
  rules?: InputRules;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
}

/**
 * The fields of one form, each bound to the form's schema (its rules) and to
 * what was posted (its value and its error), so a page names only what differs.
 */
export function formFields<Properties extends TProperties>(
  form: string,
  schema: TObject<Properties>,
  state: FormState = {},
) {
  return function field(name: keyof Properties & string, { rules, rows, ...props }: BoundFieldProps) {
    const common = {
      form,
      name,
      // A password is never sent back to the browser.
      value: props.type === 'password' ? undefined : state.values?.[name],
      error: state.fields?.[name],
      ...(rules ?? inputRules(schema, name)),
      ...props,
    };
    return rows === undefined ? <Field {...common} /> : <TextArea {...common} rows={rows} />;
  };
}

/** The one card of a page that is a form (log in, register): its heading, the form, and a line below. */
export function FormCard({
  heading,
  children,
  below,
}: {
  heading: string;
  children: ComponentChildren;
  below?: ComponentChildren;
}) {
  return (
    <div class="card">
      <div class="card-body">
        <h1 class="h3 mb-3">{heading}</h1>
        {children}
        {below ? <p class="mt-3 mb-0">{below}</p> : null}
      </div>
    </div>
  );
}
