import type { ReactNode } from 'react';

/**
 * One labelled form control with its help and its error. The help and error carry ids derived from the
 * control's (`<id>-help`, `<id>-error`), so the control can name them in `aria-describedby`; the error is
 * an alert, so a screen reader says it when it appears.
 */
export function Field({
  label,
  id,
  error,
  help,
  children,
}: {
  label: string;
  id: string;
  error?: string | undefined;
  help?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help ? (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
