import type { DashboardFilter, ParameterValue } from '@shared/questions';
import { Filter } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ParameterInput } from '@/features/questions/ParameterInput';
import { collectValues, toInput, type ParameterInput as InputValue } from '@/features/questions/parameters';

interface FilterBarProps {
  filters: readonly DashboardFilter[];
  /** The values the tiles show now. */
  values: Readonly<Record<string, ParameterValue>>;
  onApply: (values: Record<string, ParameterValue>) => void;
  busy: boolean;
}

/** The dashboard's filters: change them, then Apply runs every tile again with them. */
export function FilterBar({ filters, values, onApply, busy }: FilterBarProps) {
  const [inputs, setInputs] = useState<Record<string, InputValue>>(() => Object.fromEntries(filters.map((f) => [f.name, toInput(f.type, values[f.name])])));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const collected = collectValues(filters, inputs);
    setErrors(collected.errors);
    if (Object.keys(collected.errors).length === 0) onApply(collected.values);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Filters" className="flex flex-wrap items-end gap-3 rounded-xl border bg-card p-3 shadow-sm">
      <Filter aria-hidden className="mb-2.5 hidden size-4 text-muted-foreground sm:block" />
      {filters.map((filter) => {
        const label = filter.label || filter.name;
        return (
          <div key={filter.name} className="grid min-w-0 gap-1.5 max-sm:w-full">
            <span className="text-xs font-medium text-muted-foreground">{label}</span>
            <ParameterInput
              type={filter.type}
              label={label}
              value={inputs[filter.name] ?? toInput(filter.type, undefined)}
              onChange={(value) => setInputs((current) => ({ ...current, [filter.name]: value }))}
              invalid={Boolean(errors[filter.name])}
              className="sm:w-auto"
            />
            {errors[filter.name] && <span className="text-xs text-destructive">{errors[filter.name]}</span>}
          </div>
        );
      })}
      <Button type="submit" size="sm" variant="secondary" loading={busy} className="mb-0.5 max-sm:w-full">
        Apply filters
      </Button>
    </form>
  );
}
