import { X } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { cn } from '@/lib/cn';

interface ChipInputProps {
  id?: string;
  value: readonly string[];
  onChange: (value: string[]) => void;
  /** What one chip is, for the remove buttons' names: "Remove tag blog". */
  itemLabel?: string;
  placeholder?: string;
  disabled?: boolean;
  invalid?: boolean;
  'aria-describedby'?: string;
  onBlur?: () => void;
}

/**
 * A list of short strings as chips: type and press Enter or comma to add,
 * Backspace in the empty box or × to remove. Text left in the box is added
 * when focus leaves, so nothing typed is lost on save.
 */
export function ChipInput({ id, value, onChange, itemLabel = 'item', placeholder, disabled, invalid, onBlur, ...aria }: ChipInputProps) {
  const [draft, setDraft] = useState('');

  function add(text: string) {
    const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
    const next = [...value];
    for (const part of parts) if (!next.includes(part)) next.push(part);
    setDraft('');
    if (next.length !== value.length) onChange(next);
  }

  function remove(index: number) {
    onChange(value.filter((_, i) => i !== index));
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      // Enter would submit the form; here it finishes a chip.
      event.preventDefault();
      add(draft);
    } else if (event.key === 'Backspace' && draft === '' && value.length > 0) {
      event.preventDefault();
      remove(value.length - 1);
    }
  }

  return (
    <div
      className={cn(
        'flex min-h-9 w-full flex-wrap items-center gap-1.5 rounded-md border border-input bg-transparent px-2 py-1.5 shadow-xs transition-[color,box-shadow] dark:bg-input/30',
        'focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50',
        invalid && 'border-destructive ring-destructive/20',
        disabled && 'cursor-not-allowed opacity-50',
      )}
    >
      {value.length > 0 && (
        <ul className="contents" aria-label={`Added ${itemLabel}s`}>
          {value.map((chip, index) => (
            <li key={chip} className="inline-flex max-w-full items-center gap-1 rounded-md bg-secondary py-0.5 pr-0.5 pl-2 text-sm text-secondary-foreground">
              <span className="truncate">{chip}</span>
              {!disabled && (
                <button
                  type="button"
                  className="inline-flex size-5 shrink-0 items-center justify-center rounded-sm text-muted-foreground outline-none hover:bg-foreground/10 hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
                  aria-label={`Remove ${itemLabel} ${chip}`}
                  onClick={() => remove(index)}
                >
                  <X aria-hidden className="size-3.5" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        className="h-6 min-w-24 flex-1 bg-transparent px-1 text-base outline-none placeholder:text-muted-foreground disabled:cursor-not-allowed md:text-sm"
        value={draft}
        placeholder={value.length === 0 ? placeholder : undefined}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={aria['aria-describedby']}
        onChange={(event) => {
          // A pasted "a, b, c" becomes three chips at once.
          if (event.target.value.includes(',')) add(event.target.value);
          else setDraft(event.target.value);
        }}
        onKeyDown={keyDown}
        onBlur={() => {
          if (draft.trim() !== '') add(draft);
          onBlur?.();
        }}
      />
    </div>
  );
}
