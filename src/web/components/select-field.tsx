import { useId, type ReactNode } from 'react';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectTrigger, SelectValue } from '@/components/ui/select';
import { cn } from '@/lib/cn';

interface SelectFieldProps {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** The SelectItems. */
  children: ReactNode;
  placeholder?: string;
  disabled?: boolean;
  className?: string;
}

/** A labelled Select: the label names the trigger (FormField's id would land on Select's root, which renders nothing). */
export function SelectField({ label, value, onValueChange, children, placeholder, disabled, className }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={cn('grid content-start gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      <Select value={value} onValueChange={onValueChange} disabled={disabled}>
        <SelectTrigger id={id}>
          <SelectValue placeholder={placeholder} />
        </SelectTrigger>
        <SelectContent>{children}</SelectContent>
      </Select>
    </div>
  );
}
