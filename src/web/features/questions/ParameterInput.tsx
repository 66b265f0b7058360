import type { ParameterType } from '@shared/questions';
import { useEffect, useState } from 'react';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import type { ParameterInput as InputValue } from './parameters';

/** Radix Select can't hold an empty value: this stands for "no value" (the default applies). */
const NONE = '__none__';

interface ParameterInputProps {
  type: ParameterType;
  label: string;
  value: InputValue;
  onChange: (value: InputValue) => void;
  /** A choice's values; without them a choice is typed in. */
  choices?: readonly string[] | undefined;
  /** Shown in an empty field: the default that applies. */
  placeholder?: string | undefined;
  invalid?: boolean;
  className?: string;
  id?: string;
}

/** One parameter's value, the control fitting its type: a number, a date, two dates, a pick from a list, or text. */
export function ParameterInput({ type, label, value, onChange, choices, placeholder, invalid, className, id }: ParameterInputProps) {
  if (type === 'date_range') {
    const range = typeof value === 'string' ? { from: '', to: '' } : value;
    return (
      <div role="group" aria-label={label} className={cn('flex flex-wrap items-center gap-2', className)}>
        <Input type="date" aria-label={`${label} from`} aria-invalid={invalid || undefined} value={range.from} onChange={(event) => onChange({ ...range, from: event.target.value })} className="w-auto min-w-0 flex-1 basis-32" />
        <span aria-hidden className="text-sm text-muted-foreground">
          to
        </span>
        <Input type="date" aria-label={`${label} to`} aria-invalid={invalid || undefined} value={range.to} onChange={(event) => onChange({ ...range, to: event.target.value })} className="w-auto min-w-0 flex-1 basis-32" />
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (type === 'choice' && choices) {
    return (
      <Select value={text === '' ? NONE : text} onValueChange={(next) => onChange(next === NONE ? '' : next)}>
        <SelectTrigger id={id} aria-label={label} aria-invalid={invalid || undefined} className={className}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={NONE}>{placeholder ? `Default (${placeholder})` : 'Any'}</SelectItem>
          {choices.map((choice) => (
            <SelectItem key={choice} value={choice}>
              {choice}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    );
  }
  return (
    <Input
      id={id}
      aria-label={label}
      aria-invalid={invalid || undefined}
      type={type === 'date' ? 'date' : 'text'}
      inputMode={type === 'number' ? 'decimal' : undefined}
      value={text}
      placeholder={placeholder}
      onChange={(event) => onChange(event.target.value)}
      className={className}
    />
  );
}

/** A choice parameter's values, fetched once per question and name; undefined while loading or when they can't be had. */
export function useChoices(load: ((signal: AbortSignal) => Promise<{ values: string[] }>) | null): string[] | undefined {
  const [values, setValues] = useState<string[] | undefined>();
  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (answer) => setValues(answer.values),
      () => undefined,
    );
    return () => controller.abort();
  }, [load]);
  return load ? values : undefined;
}
