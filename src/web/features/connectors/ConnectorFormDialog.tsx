import type { CatalogEntry, ConnectorSummary } from '@shared/connectors';
import Form from '@rjsf/shadcn';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { TriangleAlert } from 'lucide-react';
import { useEffect, useId, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { connectorsApi } from '@/api/connectors';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { formSchema, formUiSchema, humanErrors, initialFormData, requestBody, toErrorSchema, type ConnectorFormData, type SecretAction } from './form-model';
import { SecretWidget, type SecretFormContext } from './SecretWidget';
import { ChipsWidget, ChoiceWidget } from './widgets';

const widgets = { secret: SecretWidget, chips: ChipsWidget, SelectWidget: ChoiceWidget };
const NAME_CHECK_DELAY_MS = 300;

interface ConnectorFormDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  membershipId: string;
  entry: CatalogEntry;
  /** Set: configure this connector; unset: install a new one. */
  connector?: ConnectorSummary | undefined;
  readOnly: boolean;
  onSaved: (connector: ConnectorSummary) => void;
}

/** Install or configure a connector with a form generated from its type's JSON Schemas. */
export function ConnectorFormDialog({ open, onOpenChange, membershipId, entry, connector, readOnly, onSaved }: ConnectorFormDialogProps) {
  const formId = useId();
  const schema = useMemo(() => formSchema(entry), [entry]);
  const uiSchema = useMemo(() => formUiSchema(entry, readOnly), [entry, readOnly]);
  const transformErrors = useMemo(() => humanErrors(schema), [schema]);
  const [formData, setFormData] = useState<ConnectorFormData>(() => initialFormData(connector));
  const [actions, setActions] = useState<Record<string, SecretAction>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [nameCheck, setNameCheck] = useState<{ name: string; taken: boolean } | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  // Is the name free? Checked as the user types, so a clash shows before saving.
  const name = formData.name?.trim() ?? '';
  const checkName = !readOnly && name !== '' && name.toLowerCase() !== connector?.name.toLowerCase();
  const nameTaken = checkName && nameCheck?.name === name && nameCheck.taken;
  useEffect(() => {
    if (!checkName) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      connectorsApi.nameAvailable(membershipId, name, connector?.id, { signal: controller.signal }).then(
        ({ available }) => setNameCheck({ name, taken: !available }),
        () => undefined,
      );
    }, NAME_CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [checkName, name, membershipId, connector?.id]);

  const extraErrors: ErrorSchema = useMemo(
    () => toErrorSchema({ ...serverErrors, ...(nameTaken ? { name: ['Another connector in this domain has this name'] } : {}) }),
    [serverErrors, nameTaken],
  );
  const formContext: SecretFormContext = useMemo(
    () => ({ secrets: connector?.secrets ?? {}, actions, setAction: (field, action) => setActions((current) => ({ ...current, [field]: action })) }),
    [connector?.secrets, actions],
  );

  async function save({ formData: data }: IChangeEvent<ConnectorFormData>) {
    if (!data || nameTaken) return;
    setSaving(true);
    setFailure(null);
    try {
      const body = requestBody(entry, data, actions, connector);
      const saved = connector ? await connectorsApi.update(membershipId, connector.id, body) : await connectorsApi.create(membershipId, { ...body, catalog_key: entry.key });
      toast.success(connector ? `Saved ${saved.name}` : `Installed ${saved.name}`);
      onSaved(saved);
      onOpenChange(false);
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError.hasFieldErrors) setServerErrors(apiError.fields);
      else setFailure(apiError);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{readOnly ? connector?.name ?? entry.name : connector ? `Configure ${connector.name}` : `Add ${entry.name}`}</DialogTitle>
          <DialogDescription>{entry.description}</DialogDescription>
        </DialogHeader>
        {entry.deprecated && (
          <p className="flex items-start gap-2 rounded-md border border-amber-500/30 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
            <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
            {entry.deprecation_reason ?? 'This connector type is deprecated.'}
          </p>
        )}
        {entry.oauth?.configured && (
          <p className="text-sm text-muted-foreground">
            {connector ? `The ${entry.oauth.name} sign-in is set by Connect with ${entry.oauth.name} on the connector's card.` : `Once it is added, use Connect with ${entry.oauth.name} on its card to sign in at ${entry.oauth.name}: Scout keeps the tokens, encrypted.`}
          </p>
        )}
        {readOnly && <p className="text-sm text-muted-foreground">Only owners and admins of this domain can change connectors.</p>}
        {failure && <FormErrorAlert error={failure} />}
        <Form
          id={formId}
          schema={schema}
          uiSchema={uiSchema}
          formData={formData}
          validator={validator}
          widgets={widgets}
          formContext={formContext}
          extraErrors={extraErrors}
          transformErrors={transformErrors}
          disabled={readOnly || saving}
          noHtml5Validate
          showErrorList={false}
          onChange={(event: IChangeEvent<ConnectorFormData>) => {
            setFormData(event.formData ?? {});
            // An edited field's server error is stale; drop it.
            if (Object.keys(serverErrors).length > 0) setServerErrors({});
          }}
          onSubmit={(event: IChangeEvent<ConnectorFormData>) => void save(event)}
        />
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            {readOnly ? 'Close' : 'Cancel'}
          </Button>
          {!readOnly && (
            <Button type="submit" form={formId} loading={saving}>
              {connector ? 'Save' : 'Add connector'}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
