import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorProps, FieldError } from './field-error';

// A labelled input with its hint and its server-side error, tied together
// for screen readers. Used by the account pages' forms.
export function FormField({
  label,
  error,
  hint,
  className,
  hidden,
  ...input
}: { label: ReactNode; error?: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const described = errorProps(`${id}-error`, error);
  const describedBy = [described['aria-describedby'], hint ? hintId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'} hidden={hidden}>
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" {...input} aria-invalid={described['aria-invalid']} aria-describedby={describedBy} />
      {hint ? (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      ) : null}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** The text of a whole-form error: a message key, or the throttled-login wait in seconds or minutes. */
export function useFormErrorText(failure: { formError?: string; retryAfterSeconds?: number } | undefined, params?: Record<string, string>): string | null {
  const { tn, tMaybe } = useI18n();
  if (!failure?.formError) return null;
  if (failure.formError === 'login.throttled') {
    const seconds = failure.retryAfterSeconds ?? 60;
    return seconds < 60 ? tn('login.throttled', seconds) : tn('login.throttledMinutes', Math.ceil(seconds / 60));
  }
  return tMaybe(failure.formError, failure.formError, params);
}
