import type { ChartConfig } from '@shared/charts/types';
import { PARAMETER_TYPES, QUESTION_DESCRIPTION_MAX, QUESTION_TITLE_MAX, type ParameterType, type Question, type QuestionParameter } from '@shared/questions';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { questionsApi, type QuestionInput } from '@/api/questions';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { ParameterInput } from './ParameterInput';
import { fromInput, PARAMETER_TYPE_LABELS, syncParameters, toInput, type ParameterInput as InputValue } from './parameters';

/** What the dialog starts from: the console's SQL and chart, a chat card's, or a question being edited. */
export interface QuestionDraft {
  title?: string;
  description?: string;
  sql: string;
  parameters?: QuestionParameter[];
  chart?: ChartConfig | null;
}

interface SaveQuestionDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  membershipId: string;
  draft: QuestionDraft;
  /** Editing this question (PATCH) rather than saving a new one. */
  questionId?: string;
  onSaved?: (question: Question) => void;
}

/** Saves SQL (and its chart) as a question: a title, a description, and a type and default for each `{{name}}` in it. */
export function SaveQuestionDialog({ open, onOpenChange, membershipId, draft, questionId, onSaved }: SaveQuestionDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[calc(100svh-2rem)] overflow-y-auto sm:max-w-2xl">
        {/* Mounted only while open, so each opening starts from the draft it is given. */}
        {open && <SaveQuestionForm membershipId={membershipId} draft={draft} questionId={questionId} onSaved={onSaved} onClose={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

interface ParameterState {
  definition: QuestionParameter;
  defaultInput: InputValue;
  /** A choice's values, comma-separated, or `table.column` to offer that column's values. */
  choicesFrom: string;
}

function initialParameters(draft: QuestionDraft): Record<string, ParameterState> {
  const state: Record<string, ParameterState> = {};
  for (const definition of syncParameters(draft.sql, draft.parameters ?? [])) {
    state[definition.name] = { definition, defaultInput: toInput(definition.type, definition.default), choicesFrom: describeChoices(definition) };
  }
  return state;
}

function describeChoices(parameter: QuestionParameter): string {
  const options = parameter.options;
  if (!options) return '';
  if (options.table && options.column) return `${options.table}.${options.column}`;
  return (options.values ?? []).join(', ');
}

const COLUMN_REFERENCE = /^([A-Za-z_][\w]*)\.([A-Za-z_][\w]*)$/;

function choiceOptions(text: string): QuestionParameter['options'] {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const column = COLUMN_REFERENCE.exec(trimmed);
  if (column) return { table: column[1], column: column[2] };
  return { values: trimmed.split(',').map((value) => value.trim()).filter(Boolean) };
}

function SaveQuestionForm({ membershipId, draft, questionId, onSaved, onClose }: { membershipId: string; draft: QuestionDraft; questionId: string | undefined; onSaved: ((question: Question) => void) | undefined; onClose: () => void }) {
  const navigate = useNavigate();
  const [title, setTitle] = useState(draft.title ?? '');
  const [description, setDescription] = useState(draft.description ?? '');
  const [sql, setSql] = useState(draft.sql);
  const [parameters, setParameters] = useState(() => initialParameters(draft));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  // The list follows the SQL: a placeholder typed in appears, one deleted goes (what was said about it is kept meanwhile).
  const definitions = syncParameters(sql, Object.values(parameters).map((state) => state.definition));
  const stateOf = (definition: QuestionParameter): ParameterState =>
    parameters[definition.name] ?? { definition, defaultInput: toInput(definition.type, definition.default), choicesFrom: '' };

  function update(name: string, change: Partial<ParameterState>) {
    // A message about this parameter goes once it is changed; the next save checks again.
    setErrors(({ [`parameters.${name}`]: _fixed, ...rest }) => rest);
    setParameters((current) => {
      const base = current[name] ?? stateOf(definitions.find((d) => d.name === name)!);
      return { ...current, [name]: { ...base, ...change } };
    });
  }

  function changeType(definition: QuestionParameter, type: ParameterType) {
    update(definition.name, { definition: { ...stateOf(definition).definition, name: definition.name, type }, defaultInput: toInput(type, undefined) });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    if (!title.trim()) found.title = ['Give the question a title'];
    if (!sql.trim()) found.sql = ['Write the SQL it runs'];
    const built: QuestionParameter[] = [];
    for (const definition of definitions) {
      const state = stateOf(definition);
      const type = state.definition.type;
      const parsed = fromInput(type, state.defaultInput);
      if ('error' in parsed) {
        found[`parameters.${definition.name}`] = [parsed.error];
        continue;
      }
      const parameter: QuestionParameter = { name: definition.name, type };
      if (state.definition.label) parameter.label = state.definition.label;
      if (parsed.value !== undefined) parameter.default = parsed.value;
      if (type === 'choice') {
        const options = choiceOptions(state.choicesFrom);
        if (options) parameter.options = options;
      }
      built.push(parameter);
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const input: QuestionInput = { title: title.trim(), description: description.trim(), sql, parameters: built, chart: draft.chart ?? null };
    setSaving(true);
    setFormError(null);
    try {
      const saved = questionId ? await questionsApi.update(membershipId, questionId, input) : await questionsApi.create(membershipId, input);
      setSaving(false);
      onClose();
      onSaved?.(saved);
      if (questionId) toast.success(`Saved ${saved.title}`);
      else toast.success(`Saved “${saved.title}”`, { action: { label: 'Open question', onClick: () => void navigate(`/questions/${saved.id}`) } });
    } catch (caught) {
      setSaving(false);
      const error = asApiError(caught);
      if (error.hasFieldErrors) setErrors(error.fields);
      setFormError(error.hasFieldErrors && (error.fields.title || error.fields.sql) ? null : error);
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{questionId ? 'Edit question' : 'Save as question'}</DialogTitle>
        <DialogDescription>A saved question can be run again with new values, scheduled, and put on a dashboard.</DialogDescription>
      </DialogHeader>
      <FormField label="Title" errors={errors.title}>
        <Input value={title} onChange={(event) => setTitle(event.target.value)} maxLength={QUESTION_TITLE_MAX} autoFocus placeholder="Cases opened each month" />
      </FormField>
      <FormField label="Description" errors={errors.description} hint="Optional: what it answers, for whoever opens it next.">
        <Textarea value={description} onChange={(event) => setDescription(event.target.value)} maxLength={QUESTION_DESCRIPTION_MAX} rows={2} />
      </FormField>
      <FormField label="SQL" errors={errors.sql} hint={<>Write <code className="font-mono">{'{{name}}'}</code> where a value goes; a date range's ends are <code className="font-mono">{'{{name.from}}'}</code> and <code className="font-mono">{'{{name.to}}'}</code>.</>}>
        <Textarea value={sql} onChange={(event) => setSql(event.target.value)} rows={5} spellCheck={false} className="font-mono text-xs md:text-xs" />
      </FormField>

      {definitions.length > 0 && (
        <fieldset className="grid gap-3">
          <legend className="mb-2 text-sm font-medium">Parameters</legend>
          <ul className="grid gap-3" aria-label="Parameters">
            {definitions.map((definition) => {
              const state = stateOf(definition);
              const type = state.definition.type;
              const error = errors[`parameters.${definition.name}`];
              return (
                <li key={definition.name} className="grid gap-2 rounded-md border p-3 sm:grid-cols-[minmax(0,8rem)_9rem_minmax(0,1fr)] sm:items-start" aria-label={`Parameter ${definition.name}`}>
                  <code className="truncate pt-2 font-mono text-sm" title={definition.name}>
                    {definition.name}
                  </code>
                  <Select value={type} onValueChange={(next) => changeType(definition, next as ParameterType)}>
                    <SelectTrigger aria-label={`Type of ${definition.name}`}>
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      {PARAMETER_TYPES.map((option) => (
                        <SelectItem key={option} value={option}>
                          {PARAMETER_TYPE_LABELS[option]}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                  <div className="grid min-w-0 gap-2">
                    <ParameterInput
                      type={type}
                      label={`Default of ${definition.name}`}
                      value={state.defaultInput}
                      onChange={(value) => update(definition.name, { defaultInput: value })}
                      placeholder="Default (optional)"
                      invalid={Boolean(error)}
                    />
                    {type === 'choice' && (
                      <Input
                        aria-label={`Choices of ${definition.name}`}
                        value={state.choicesFrom}
                        onChange={(event) => update(definition.name, { choicesFrom: event.target.value })}
                        placeholder="a, b, c — or table.column"
                      />
                    )}
                    {error && <p className="text-sm text-destructive">{error.join(' ')}</p>}
                  </div>
                </li>
              );
            })}
          </ul>
          <p className="text-xs text-muted-foreground">Without a default, a value must be given each time it runs.</p>
        </fieldset>
      )}

      {draft.chart && draft.chart.kind !== 'table' && (
        <p className="text-sm text-muted-foreground">
          Saves the chart too: <span className="font-medium text-foreground">{draft.chart.title ?? `${draft.chart.kind} chart`}</span>
        </p>
      )}
      {formError && <FormErrorAlert error={formError} />}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" loading={saving}>
          {questionId ? 'Save changes' : 'Save question'}
        </Button>
      </DialogFooter>
    </form>
  );
}
