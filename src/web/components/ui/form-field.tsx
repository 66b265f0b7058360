import { Slot } from 'radix-ui';
import { useId, type ReactElement, type ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { FieldError } from './field-error';
import { Label } from './label';

interface FormFieldProps {
  label: string;
  /** This field's messages, from client-side validation or the server's `fields`. */
  errors?: readonly string[] | undefined;
  /** Guidance shown under the control before anything goes wrong, like a password's rules. */
  hint?: ReactNode;
  /** The one control, which receives the id and ARIA wiring. */
  children: ReactElement;
  className?: string;
}

/** A labelled control with its hint and error messages wired up for assistive technology. */
export function FormField({ label, errors, hint, children, className }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;

  return (
    <div className={cn('grid content-start gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      <Slot.Root id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy}>
        {children}
      </Slot.Root>
      {hint && (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      <FieldError id={errorId} messages={errors} />
    </div>
  );
}
