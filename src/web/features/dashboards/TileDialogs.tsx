import { PARAMETER_TYPES, type DashboardFilter, type DashboardTile, type ParameterType, type Question } from '@shared/questions';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/select-field';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { ParameterInput } from '@/features/questions/ParameterInput';
import { fromInput, PARAMETER_TYPE_LABELS, toInput, type ParameterInput as InputValue } from '@/features/questions/parameters';
import { filterNameFrom } from './dashboard-model';

type TileChoice = 'chart' | 'table' | 'number' | 'text';
const TILE_CHOICES: Record<TileChoice, string> = { chart: 'Chart', table: 'Table', number: 'Big number', text: 'Text note' };
const NOT_APPLIED = '__none__';
/** The server's limit on a tile's own title. */
const TILE_TITLE_MAX = 120;

/** A tile's settings without its place on the grid, which the dialog doesn't touch. */
export type TileSettings = Omit<DashboardTile, 'id' | 'layout'>;

function choiceOf(tile: DashboardTile | null): TileChoice {
  if (!tile) return 'chart';
  if (tile.kind === 'text' || tile.kind === 'number') return tile.kind;
  return tile.display === 'table' ? 'table' : 'chart';
}

interface TileDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The tile being changed; null adds one. */
  tile: DashboardTile | null;
  questions: readonly Question[] | undefined;
  filters: readonly DashboardFilter[];
  onSave: (settings: TileSettings) => void;
}

/** Adds or changes a tile: a saved question as a chart, table or big number (and which filters reach which of its parameters), or a note. */
export function TileDialog({ open, onOpenChange, tile, questions, filters, onSave }: TileDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[calc(100svh-2rem)] overflow-y-auto">
        {open && <TileForm tile={tile} questions={questions} filters={filters} onSave={onSave} onClose={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function TileForm({ tile, questions, filters, onSave, onClose }: Omit<TileDialogProps, 'open' | 'onOpenChange'> & { onClose: () => void }) {
  const [choice, setChoice] = useState<TileChoice>(() => choiceOf(tile));
  const [questionId, setQuestionId] = useState(tile?.question_id ?? '');
  const [title, setTitle] = useState(tile?.title ?? '');
  const [text, setText] = useState(tile?.text ?? '');
  const [mapping, setMapping] = useState<Record<string, string>>(tile?.filters ?? {});
  const [error, setError] = useState<string | null>(null);
  const question = questions?.find((q) => q.id === questionId);

  function pickQuestion(id: string) {
    setQuestionId(id);
    // A filter meets the parameter of its own name without being told.
    const picked = questions?.find((q) => q.id === id);
    const names = new Set(picked?.parameters.map((p) => p.name));
    setMapping(Object.fromEntries(filters.filter((f) => names.has(f.name)).map((f) => [f.name, f.name])));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (choice === 'text') {
      if (!text.trim()) return setError('Write the note');
      onSave({ kind: 'text', text, ...(title.trim() ? { title: title.trim() } : {}) });
    } else {
      if (!question) return setError('Pick a question');
      const applied = Object.fromEntries(Object.entries(mapping).filter(([filter, parameter]) => parameter && filters.some((f) => f.name === filter)));
      onSave({
        kind: choice === 'number' ? 'number' : 'question',
        question_id: question.id,
        ...(choice === 'number' ? {} : { display: choice }),
        // The question's title is kept on the tile, so a share link (which can't see the questions) still names it.
        title: (title.trim() || question.title).slice(0, TILE_TITLE_MAX),
        filters: applied,
      });
    }
    onClose();
  }

  return (
    <form noValidate onSubmit={submit} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{tile ? 'Edit tile' : 'Add a tile'}</DialogTitle>
        <DialogDescription>A saved question as a chart, a table or one big number, or a note in Markdown.</DialogDescription>
      </DialogHeader>
      <SelectField label="Shows" value={choice} onValueChange={(value) => setChoice(value as TileChoice)}>
        {(Object.keys(TILE_CHOICES) as TileChoice[]).map((key) => (
          <SelectItem key={key} value={key}>
            {TILE_CHOICES[key]}
          </SelectItem>
        ))}
      </SelectField>
      {choice === 'text' ? (
        <FormField label="Note" hint="Markdown: **bold**, lists, links.">
          <Textarea value={text} onChange={(event) => setText(event.target.value)} rows={5} />
        </FormField>
      ) : questions && questions.length === 0 ? (
        <p className="rounded-md border border-dashed px-4 py-4 text-sm text-muted-foreground">
          No saved questions yet. <Link to="/data" className="font-medium text-foreground underline underline-offset-4">Save one from the SQL console</Link> first.
        </p>
      ) : (
        <SelectField label="Question" value={questionId} onValueChange={pickQuestion} disabled={!questions} placeholder={questions ? 'Pick a saved question' : 'Loading the questions…'}>
          {(questions ?? []).map((q) => (
            <SelectItem key={q.id} value={q.id} description={q.description || undefined}>
              {q.title}
            </SelectItem>
          ))}
        </SelectField>
      )}
      <FormField label="Title" hint={choice === 'text' ? 'Optional.' : 'Optional: the question’s title otherwise.'}>
        <Input value={title} onChange={(event) => setTitle(event.target.value)} placeholder={question?.title ?? ''} />
      </FormField>
      {choice !== 'text' && question && filters.length > 0 && (
        <fieldset className="grid gap-3">
          <legend className="mb-1 text-sm font-medium">Filters</legend>
          <p className="text-xs text-muted-foreground">Which of the question’s parameters each filter on the bar sets.</p>
          {filters.map((filter) => (
            <div key={filter.name} className="grid items-center gap-2 sm:grid-cols-[10rem_minmax(0,1fr)]">
              <span className="truncate text-sm">{filter.label || filter.name}</span>
              <Select value={mapping[filter.name] || NOT_APPLIED} onValueChange={(value) => setMapping((current) => ({ ...current, [filter.name]: value === NOT_APPLIED ? '' : value }))}>
                <SelectTrigger aria-label={`Parameter for ${filter.label || filter.name}`}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={NOT_APPLIED}>Not applied</SelectItem>
                  {question.parameters.map((parameter) => (
                    <SelectItem key={parameter.name} value={parameter.name} description={PARAMETER_TYPE_LABELS[parameter.type]}>
                      {parameter.label || parameter.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          ))}
        </fieldset>
      )}
      {error && <p role="alert" className="text-sm text-destructive">{error}</p>}
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit">{tile ? 'Update tile' : 'Add tile'}</Button>
      </DialogFooter>
    </form>
  );
}

interface FilterDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  filter: DashboardFilter | null;
  /** Names other filters have: a new one must differ. */
  takenNames: readonly string[];
  onSave: (filter: DashboardFilter) => void;
}

/** Adds or changes a filter on the bar: its label, type and default (its name is what tiles map to their parameters). */
export function FilterDialog({ open, onOpenChange, filter, takenNames, onSave }: FilterDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>{open && <FilterForm filter={filter} takenNames={takenNames} onSave={onSave} onClose={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function FilterForm({ filter, takenNames, onSave, onClose }: Omit<FilterDialogProps, 'open' | 'onOpenChange'> & { onClose: () => void }) {
  const [label, setLabel] = useState(filter?.label ?? '');
  const [name, setName] = useState(filter?.name ?? '');
  const [nameTouched, setNameTouched] = useState(Boolean(filter));
  const [type, setType] = useState<ParameterType>(filter?.type ?? 'date_range');
  const [defaultInput, setDefaultInput] = useState<InputValue>(() => toInput(filter?.type ?? 'date_range', filter?.default));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const shownName = nameTouched ? name : label ? filterNameFrom(label) : '';

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    if (!label.trim()) found.label = ['Give the filter a label'];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(shownName)) found.name = ['Letters, digits and underscores, starting with a letter'];
    else if (takenNames.includes(shownName)) found.name = ['Another filter has this name'];
    const parsed = fromInput(type, defaultInput);
    if ('error' in parsed) found.default = [parsed.error];
    setErrors(found);
    if (Object.keys(found).length > 0 || 'error' in parsed) return;
    onSave({ name: shownName, type, label: label.trim(), ...(parsed.value !== undefined ? { default: parsed.value } : {}) });
    onClose();
  }

  return (
    <form noValidate onSubmit={submit} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{filter ? 'Edit filter' : 'Add a filter'}</DialogTitle>
        <DialogDescription>A value chosen on the bar, passed to each tile that maps it to one of its question’s parameters.</DialogDescription>
      </DialogHeader>
      <FormField label="Label" errors={errors.label}>
        <Input value={label} onChange={(event) => setLabel(event.target.value)} placeholder="Visit date" autoFocus />
      </FormField>
      <FormField label="Name" errors={errors.name} hint="What tiles map to their parameters.">
        <Input
          value={shownName}
          onChange={(event) => {
            setNameTouched(true);
            setName(event.target.value);
          }}
          className="font-mono"
          disabled={Boolean(filter)}
        />
      </FormField>
      <SelectField
        label="Type"
        value={type}
        onValueChange={(value) => {
          setType(value as ParameterType);
          setDefaultInput(toInput(value as ParameterType, undefined));
        }}
      >
        {PARAMETER_TYPES.map((option) => (
          <SelectItem key={option} value={option}>
            {PARAMETER_TYPE_LABELS[option]}
          </SelectItem>
        ))}
      </SelectField>
      <div className="grid gap-2">
        <span className="text-sm font-medium">Default</span>
        <ParameterInput type={type} label="Default" value={defaultInput} onChange={setDefaultInput} placeholder="None" invalid={Boolean(errors.default)} />
        {errors.default && <p className="text-sm text-destructive">{errors.default.join(' ')}</p>}
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit">{filter ? 'Update filter' : 'Add filter'}</Button>
      </DialogFooter>
    </form>
  );
}
