// Bootstrap modals, and the one shape of a modal that holds a form.
import type { ComponentChildren } from 'preact';
import { FormError } from './forms.js';

/** A submit button that also sends `name=value` (a form with several ways to submit). */
export interface SubmitChoice {
  label: string;
  name: string;
  value: string;
}

/**
 * The buttons of a modal form: one that closes the modal, one that submits
 * the form, and an `alternative` way to submit it (e.g. "Save draft" beside "Publish").
 */
export interface ModalFooterProps {
  submit: string | SubmitChoice;
  variant: 'primary' | 'danger';
  alternative?: SubmitChoice;
  dismiss?: string;
}

function SubmitButton({ choice, class: className }: { choice: string | SubmitChoice; class: string }) {
  const { label, name, value } =
    typeof choice === 'string' ? { label: choice, name: undefined, value: undefined } : choice;
  return (
    <button type="submit" class={className} name={name} value={value}>
      {label}
    </button>
  );
}

export function ModalFooter({ submit, variant, alternative, dismiss = 'Cancel' }: ModalFooterProps) {
  return (
    <div class="modal-footer">
      <button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">
        {dismiss}
      </button>
      {alternative && <SubmitButton choice={alternative} class={`btn btn-outline-${variant}`} />}
      <SubmitButton choice={submit} class={`btn btn-${variant}`} />
    </div>
  );
}

/** `large`: room for writing (the post editors), instead of a short form or a question. */
export function Modal(props: { id: string; title: string; large?: boolean; children: ComponentChildren }) {
  const { id, title, large, children } = props;
  const titleId = `${id}-title`;
  return (
    <div class="modal fade" id={id} tabIndex={-1} role="dialog" aria-labelledby={titleId} aria-hidden="true">
      <div class={`modal-dialog modal-dialog-centered${large ? ' modal-lg' : ''}`}>
        <div class="modal-content">
          <div class="modal-header">
            <h2 class="modal-title h5" id={titleId}>
              {title}
            </h2>
            <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Close"></button>
          </div>
          {children}
        </div>
      </div>
    </div>
  );
}

/**
 * A modal holding one form: the form's error message first, then `children`
 * (fields or text), then the buttons. `form` holds the form's attributes.
 */
export function ModalForm(props: {
  id: string;
  title: string;
  form: { id: string } & Record<string, string | boolean>;
  footer: ModalFooterProps;
  large?: boolean;
  children: ComponentChildren;
}) {
  return (
    <Modal id={props.id} title={props.title} large={props.large}>
      <form {...props.form}>
        <div class="modal-body">
          <FormError />
          {props.children}
        </div>
        <ModalFooter {...props.footer} />
      </form>
    </Modal>
  );
}
