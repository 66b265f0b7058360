import type { WidgetProps } from '@rjsf/utils';
import { ariaDescribedByIds } from '@rjsf/utils';
import { ChipInput } from '@/components/ui/chip-input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';

// The theme's text inputs sit in a 2px frame (room for their focus ring); these widgets do too, so every control lines up.

/** A list of strings (tags, hashtags) as chips rather than rjsf's "Add Item" rows. */
export function ChipsWidget({ id, value, onChange, onBlur, disabled, readonly, rawErrors, schema, uiSchema }: WidgetProps) {
  const items = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  const itemLabel = (uiSchema?.['ui:options']?.itemLabel as string | undefined) ?? 'item';
  return (
    <div className="p-0.5">
      <ChipInput
        id={id}
        value={items}
        onChange={(next) => onChange(next)}
        onBlur={() => onBlur(id, items)}
        itemLabel={itemLabel}
        placeholder={`Type ${schema.title ? schema.title.toLowerCase() : 'a value'} and press Enter`}
        disabled={disabled || readonly}
        invalid={Boolean(rawErrors?.length)}
        aria-describedby={ariaDescribedByIds(id)}
      />
    </div>
  );
}

/**
 * A choice among a field's options, labelled by the schema's titles
 * ("Draft", "Pending review"), left-aligned like every other select in Scout.
 */
export function ChoiceWidget({ id, value, onChange, options, disabled, readonly, rawErrors, placeholder }: WidgetProps) {
  const choices = options.enumOptions ?? [];
  const selected = choices.findIndex((choice) => choice.value === value);
  return (
    <div className="p-0.5">
      <Select value={selected === -1 ? '' : String(selected)} onValueChange={(index) => onChange(choices[Number(index)]?.value)} disabled={disabled || readonly}>
        <SelectTrigger id={id} aria-invalid={rawErrors?.length ? true : undefined} aria-describedby={ariaDescribedByIds(id)}>
          <SelectValue placeholder={placeholder || 'Choose…'} />
        </SelectTrigger>
        <SelectContent>
          {choices.map((choice, index) => (
            <SelectItem key={String(choice.value)} value={String(index)}>
              {choice.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
