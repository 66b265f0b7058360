import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type { ZodType } from 'zod';
import { ApiError, isApiError } from '@/api/client';
import { fieldErrorsFromIssues, type FieldErrors } from '@/api/field-errors';

export interface ValidatedForm {
  /** Messages per field name, from the schema or from the server. */
  fieldErrors: FieldErrors;
  /** A failure that belongs to no single field: wrong credentials, rate limits, the network. */
  formError: ApiError | null;
  submitting: boolean;
  /** Spread onto the <form>. */
  formProps: {
    noValidate: true;
    onSubmit: (event: FormEvent<HTMLFormElement>) => void;
    onChange: (event: ChangeEvent<HTMLFormElement>) => void;
  };
}

/**
 * Runs a form through a shared zod schema before `submit`, and shows the
 * schema's findings and the server's `fields` the same way: under each field,
 * with focus moved to the first field that needs attention.
 */
export function useValidatedForm<T>(schema: ZodType<T>, submit: (values: T) => Promise<void>): ValidatedForm {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // State updates land after a render; this guards against a second Enter press before then.
  const inFlight = useRef(false);

  function showFieldErrors(form: HTMLFormElement, errors: FieldErrors) {
    // Render the messages first so the field is described by them when it receives focus.
    flushSync(() => setFieldErrors(errors));
    firstControlNamed(form, Object.keys(errors))?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    const form = event.currentTarget;

    const parsed = schema.safeParse(Object.fromEntries(new FormData(form)));
    if (!parsed.success) {
      setFormError(null);
      showFieldErrors(form, fieldErrorsFromIssues(parsed.error.issues));
      return;
    }

    inFlight.current = true;
    setSubmitting(true);
    setFormError(null);
    setFieldErrors({});
    try {
      await submit(parsed.data);
    } catch (error) {
      const apiError = toApiError(error);
      const onForm = firstControlNamed(form, Object.keys(apiError.fields));
      if (onForm) showFieldErrors(form, apiError.fields);
      else setFormError(apiError);
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  }

  function handleChange(event: ChangeEvent<HTMLFormElement>) {
    const { target } = event;
    if (!(target instanceof Element) || !isNamedControl(target)) return;
    // The message described the old value; keep it only until the user starts fixing it.
    setFieldErrors((current) => {
      if (!(target.name in current)) return current;
      const next = { ...current };
      delete next[target.name];
      return next;
    });
  }

  return {
    fieldErrors,
    formError,
    submitting,
    formProps: {
      noValidate: true,
      onSubmit: (event) => void handleSubmit(event),
      onChange: handleChange,
    },
  };
}

type NamedControl = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function isNamedControl(element: Element): element is NamedControl {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement
  );
}

/** The first control in document order whose name is one of `names`. */
function firstControlNamed(form: HTMLFormElement, names: readonly string[]): NamedControl | undefined {
  const wanted = new Set(names);
  return Array.from(form.elements)
    .filter(isNamedControl)
    .find((control) => wanted.has(control.name));
}

function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  console.error(error);
  return new ApiError({ status: 0, code: 'CLIENT_ERROR', message: 'Something went wrong. Please try again.' });
}
