import { profileColumns } from '@shared/charts/columns';
import { defaultTitle } from '@shared/charts/spec';
import type { ChartConfig, ChartData, ChartLayout, ChartSort } from '@shared/charts/types';
import { useId, useMemo, useState } from 'react';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { takesLayout, takesSeries } from './chart-choices';

/** Radix's Select has no empty value; this one stands for "no series". */
const NO_SERIES = '\u0000none';

const SORTS: Array<{ value: ChartSort; label: string }> = [
  { value: '-y', label: 'Largest first' },
  { value: 'y', label: 'Smallest first' },
  { value: 'x', label: 'By name, A to Z' },
  { value: '-x', label: 'By name, Z to A' },
  { value: 'none', label: 'As the query orders them' },
];

interface ChartFieldsProps {
  /** The choice as drawn: Scout has filled the columns the user left open. */
  drawn: ChartConfig;
  /** The title the user wrote, if any (the drawn one may be Scout's). */
  ownTitle: string | undefined;
  data: ChartData;
  /** The field the last choice got wrong, marked on its control. */
  invalid?: keyof ChartConfig | undefined;
  onChange: (change: Partial<ChartConfig>) => void;
}

/** The columns on each axis, the series, the order, stacking and the title. */
export function ChartFields({ drawn, ownTitle, data, invalid, onChange }: ChartFieldsProps) {
  const { kind } = drawn;
  const columns = data.columns;
  const axes = kind === 'pie' || kind === 'donut' ? { x: 'Slices', y: 'Sizes' } : kind === 'number' ? { x: null, y: 'Value' } : kind === 'table' ? { x: null, y: null } : { x: 'X axis', y: 'Y axis' };
  // Times read left to right whatever the order: the order control is for categories.
  const temporalX = useMemo(() => profileColumns(data).find((column) => column.name === drawn.x)?.role === 'temporal', [data, drawn.x]);
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {axes.x && <ColumnSelect label={axes.x} value={drawn.x} columns={columns} invalid={invalid === 'x'} onChange={(x) => onChange({ x })} />}
      {axes.y && <ColumnSelect label={axes.y} value={drawn.y} columns={columns} invalid={invalid === 'y'} onChange={(y) => onChange({ y })} />}
      {takesSeries(kind) && <ColumnSelect label="Series (colour)" value={drawn.series ?? NO_SERIES} columns={columns} invalid={invalid === 'series'} none="None" onChange={(series) => onChange({ series: series === NO_SERIES ? undefined : series })} />}
      {(kind === 'bar' || ((kind === 'line' || kind === 'area') && !temporalX)) && (
        <ChoiceSelect label="Order" value={drawn.sort ?? 'none'} options={SORTS} onChange={(sort) => onChange({ sort })} />
      )}
      {takesLayout(kind) && drawn.series && (
        <ChoiceSelect<ChartLayout>
          label="Series shown"
          value={drawn.layout ?? 'stacked'}
          options={[
            { value: 'stacked', label: 'Stacked' },
            { value: 'grouped', label: kind === 'bar' ? 'Side by side' : 'Overlapping' },
          ]}
          onChange={(layout) => onChange({ layout })}
        />
      )}
      <TitleInput key={ownTitle ?? ''} own={ownTitle} placeholder={defaultTitle({ ...drawn, title: undefined })} onCommit={(title) => onChange({ title })} />
    </div>
  );
}

function ColumnSelect({ label, value, columns, invalid, none, onChange }: { label: string; value: string | undefined; columns: ChartData['columns']; invalid: boolean; none?: string; onChange: (column: string) => void }) {
  const id = useId();
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value ?? ''} onValueChange={onChange}>
        <SelectTrigger id={id} aria-invalid={invalid || undefined}>
          <SelectValue placeholder="Choose a column" />
        </SelectTrigger>
        <SelectContent>
          {none && <SelectItem value={NO_SERIES}>{none}</SelectItem>}
          {columns.map((column) => (
            <SelectItem key={column.name} value={column.name} description={column.type}>
              {column.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

function ChoiceSelect<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: Array<{ value: T; label: string }>; onChange: (value: T) => void }) {
  const id = useId();
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value} onValueChange={(next) => onChange(next as T)}>
        <SelectTrigger id={id}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {options.map((option) => (
            <SelectItem key={option.value} value={option.value}>
              {option.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

/** The title, applied when the field is left or Enter is pressed: redrawing on every keystroke would make typing stutter. */
function TitleInput({ own, placeholder, onCommit }: { own: string | undefined; placeholder: string; onCommit: (title: string | undefined) => void }) {
  const id = useId();
  const [text, setText] = useState(own ?? '');
  const commit = () => {
    const title = text.trim() || undefined;
    if (title !== own) onCommit(title);
  };
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id}>Title</Label>
      <Input
        id={id}
        value={text}
        maxLength={120}
        placeholder={placeholder}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          }
        }}
      />
    </div>
  );
}
