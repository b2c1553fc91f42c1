import { useI18n } from '../i18n/i18n';

// A form field's error from the server's zod validation: the message is a
// message key (translated) or, for the shared schemas, English text shown as is.

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  const { tMaybe } = useI18n();
  if (!error) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {tMaybe(error, error)}
    </span>
  );
}

/** Props that tie an input to its error for screen readers. */
export function errorProps(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
}
