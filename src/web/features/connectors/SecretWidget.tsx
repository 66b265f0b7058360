import type { SecretState } from '@shared/connectors';
import type { WidgetProps } from '@rjsf/utils';
import { KeyRound } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { formatRelativeTime } from '@/features/data/format';
import { useNow } from '@/lib/use-now';
import type { SecretAction } from './form-model';

/** What the secret widgets need from the dialog: which secrets are stored, and what the user chose for each. */
export interface SecretFormContext {
  secrets: Record<string, SecretState>;
  actions: Record<string, SecretAction>;
  setAction: (field: string, action: SecretAction) => void;
}

/**
 * A secret field. New: a password input. Stored: "Configured", untouched
 * unless the user picks Replace (a password input) or Clear. The stored value
 * is never in the page to show.
 */
export function SecretWidget({ id, name, value, onChange, disabled, readonly, registry, rawErrors, placeholder }: WidgetProps) {
  const now = useNow();
  const context = registry.formContext as SecretFormContext;
  const stored = context.secrets[name];
  const action = context.actions[name] ?? 'keep';
  const input = (
    <Input
      id={id}
      type="password"
      autoComplete="new-password"
      value={typeof value === 'string' ? value : ''}
      placeholder={placeholder || (stored?.set ? 'New value' : undefined)}
      disabled={disabled || readonly}
      aria-invalid={rawErrors && rawErrors.length > 0 ? true : undefined}
      onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
    />
  );
  // The theme's text inputs sit in a 2px frame (room for their focus ring); so does this one, to line up.
  if (!stored?.set) return <div className="p-0.5">{input}</div>;
  if (action === 'replace') {
    return (
      <div className="flex gap-2">
        {input}
        <Button
          type="button"
          variant="ghost"
          size="sm"
          onClick={() => {
            onChange(undefined);
            context.setAction(name, 'keep');
          }}
        >
          Keep current
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-dashed px-3 py-1.5 text-sm" id={id}>
      <KeyRound aria-hidden className="size-4 text-muted-foreground" />
      <span className="flex-1">
        {action === 'clear' ? (
          <span className="text-destructive">Will be cleared when you save</span>
        ) : (
          <>
            Configured
            {stored.updated_at && <span className="text-muted-foreground"> · set {formatRelativeTime(stored.updated_at, now)}</span>}
          </>
        )}
      </span>
      {!(disabled || readonly) &&
        (action === 'clear' ? (
          <Button type="button" variant="ghost" size="sm" onClick={() => context.setAction(name, 'keep')}>
            Undo
          </Button>
        ) : (
          <>
            <Button type="button" variant="outline" size="sm" onClick={() => context.setAction(name, 'replace')}>
              Replace
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={() => context.setAction(name, 'clear')}>
              Clear
            </Button>
          </>
        ))}
    </div>
  );
}
