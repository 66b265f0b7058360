import { SCHEDULE_EVERY, WEEKDAYS, type Schedule, type ScheduleEvery, type ScheduleInput, type Weekday } from '@shared/questions';
import { CalendarClock, CircleAlert } from 'lucide-react';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { SelectField } from '@/components/select-field';
import { SelectItem } from '@/components/ui/select';
import { formatDate } from '@/features/connections/format';
import { cn } from '@/lib/cn';
import { formFor, inputFor, timeZones, WEEKDAY_LABELS, type ScheduleForm } from './schedule-form';

const EVERY_LABELS: Record<ScheduleEvery, string> = { hour: 'Every hour', day: 'Every day', week: 'Every week' };

interface ScheduleControlProps {
  /** What is scheduled, for the dialog: "this dashboard", "this question". */
  what: string;
  schedule: Schedule | null;
  canEdit: boolean;
  save: (input: ScheduleInput) => Promise<Schedule>;
  remove: () => Promise<void>;
  onChange: (schedule: Schedule | null) => void;
  /** Runs it now, outside its times (its results are kept like a scheduled run's). */
  runNow?: () => Promise<unknown>;
  /** After a run asked for here has finished. */
  onRan?: () => void;
  /** Offer "also after each sync" (not for the sync's own schedule). */
  offerAfterSync?: boolean;
  /** Where each run is delivered (a question's or dashboard's), shown while it is scheduled. */
  delivery?: ReactNode;
  className?: string;
}

/** A schedule in words (its state, why it fails, when it runs next) and the dialog that sets or removes it. */
export function ScheduleControl({ what, schedule, canEdit, save, remove, onChange, runNow, onRan, offerAfterSync = true, delivery, className }: ScheduleControlProps) {
  const [open, setOpen] = useState(false);
  const [running, setRunning] = useState(false);

  async function run() {
    if (!runNow) return;
    setRunning(true);
    try {
      await runNow();
      toast.success('Ran it now; its results are kept.');
      onRan?.();
    } catch (error) {
      toast.error("Couldn't run it now", { description: asApiError(error).message });
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className={cn('grid gap-1 text-sm', className)} aria-label="Schedule" role="group">
      <div className="flex flex-wrap items-center gap-2">
        <CalendarClock aria-hidden className="size-4 text-muted-foreground" />
        {schedule ? (
          <>
            <span>{schedule.summary}</span>
            <ScheduleStateBadge schedule={schedule} />
          </>
        ) : (
          <span className="text-muted-foreground">Not scheduled</span>
        )}
        {canEdit && (
          <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
            {schedule ? 'Change schedule' : 'Schedule'}
          </Button>
        )}
        {canEdit && schedule && runNow && (
          <Button variant="ghost" size="sm" onClick={() => void run()} loading={running}>
            Run now
          </Button>
        )}
      </div>
      {schedule?.reason && schedule.state !== 'active' && (
        <p className="flex items-start gap-1.5 text-destructive">
          <CircleAlert aria-hidden className="mt-0.5 size-3.5 shrink-0" />
          {schedule.reason}
        </p>
      )}
      {schedule?.next_run_at && schedule.state !== 'paused' && (
        <p className="text-xs text-muted-foreground">
          Next run <time dateTime={schedule.next_run_at}>{formatDate(schedule.next_run_at, true)}</time>
          {schedule.last_run_at && (
            <>
              {' '}
              · last ran <time dateTime={schedule.last_run_at}>{formatDate(schedule.last_run_at, true)}</time>
              {schedule.last_status && schedule.last_status !== 'completed' && ` (${schedule.last_status})`}
            </>
          )}
        </p>
      )}
      {schedule && delivery}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          {open && (
            <ScheduleDialogForm
              what={what}
              schedule={schedule}
              offerAfterSync={offerAfterSync}
              save={save}
              remove={remove}
              onDone={(next) => {
                setOpen(false);
                onChange(next);
              }}
              onCancel={() => setOpen(false)}
            />
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

export function ScheduleStateBadge({ schedule }: { schedule: Schedule }) {
  if (schedule.state === 'active') return <Badge variant="success">Active</Badge>;
  if (schedule.state === 'failing') return <Badge variant="destructive">Failing</Badge>;
  return <Badge variant="secondary">Paused</Badge>;
}

function ScheduleDialogForm({ what, schedule, offerAfterSync, save, remove, onDone, onCancel }: { what: string; schedule: Schedule | null; offerAfterSync: boolean; save: ScheduleControlProps['save']; remove: ScheduleControlProps['remove']; onDone: (schedule: Schedule | null) => void; onCancel: () => void }) {
  const [form, setForm] = useState<ScheduleForm>(() => formFor(schedule));
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const zones = useMemo(() => timeZones(form.timezone), [form.timezone]);
  const change = (patch: Partial<ScheduleForm>) => setForm((current) => ({ ...current, ...patch }));
  const minute = form.at.slice(3, 5);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setError(null);
    try {
      const saved = await save(inputFor(form, offerAfterSync));
      toast.success(saved.summary);
      onDone(saved);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(null);
    }
  }

  async function unschedule() {
    setBusy('remove');
    setError(null);
    try {
      await remove();
      toast.success('Schedule removed');
      onDone(null);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(null);
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Schedule</DialogTitle>
        <DialogDescription>Scout runs {what} on this schedule and keeps the results, so opening it is instant.</DialogDescription>
      </DialogHeader>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Runs" value={form.every} onValueChange={(value) => change({ every: value as ScheduleEvery })}>
          {SCHEDULE_EVERY.map((every) => (
            <SelectItem key={every} value={every}>
              {EVERY_LABELS[every]}
            </SelectItem>
          ))}
        </SelectField>
        {form.every === 'week' && (
          <SelectField label="On" value={form.day} onValueChange={(value) => change({ day: value as Weekday })}>
            {WEEKDAYS.map((day) => (
              <SelectItem key={day} value={day}>
                {WEEKDAY_LABELS[day]}
              </SelectItem>
            ))}
          </SelectField>
        )}
        {form.every === 'hour' ? (
          <FormField label="Minutes past the hour">
            <Input
              type="number"
              min={0}
              max={59}
              value={Number(minute)}
              onChange={(event) => {
                const value = Math.min(Math.max(Math.trunc(Number(event.target.value) || 0), 0), 59);
                change({ at: `00:${String(value).padStart(2, '0')}` });
              }}
            />
          </FormField>
        ) : (
          <FormField label="At">
            <Input type="time" value={form.at} onChange={(event) => change({ at: event.target.value || '00:00' })} />
          </FormField>
        )}
        <FormField label="Time zone" className="sm:col-span-2">
          <select
            value={form.timezone}
            onChange={(event) => change({ timezone: event.target.value })}
            className="h-9 w-full min-w-0 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30"
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </FormField>
        {offerAfterSync && (
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" checked={form.afterSync} onChange={(event) => change({ afterSync: event.target.checked })} className="size-4 accent-primary" />
            Also run after each sync of the domain's data
          </label>
        )}
      </div>
      {error && <FormErrorAlert error={error} />}
      <DialogFooter className="sm:justify-between">
        {schedule ? (
          <Button variant="ghost" className="text-destructive" onClick={() => void unschedule()} loading={busy === 'remove'} disabled={busy !== null}>
            Remove schedule
          </Button>
        ) : (
          <span />
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <Button variant="outline" onClick={onCancel} disabled={busy !== null}>
            Cancel
          </Button>
          <Button type="submit" loading={busy === 'save'} disabled={busy !== null}>
            Save schedule
          </Button>
        </div>
      </DialogFooter>
    </form>
  );
}
