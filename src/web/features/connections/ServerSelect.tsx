import type { HqServer } from '@shared/tenants';
import type { ComponentProps } from 'react';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { hostOf } from './format';

interface ServerSelectProps extends Omit<ComponentProps<typeof SelectTrigger>, 'defaultValue'> {
  name: string;
  servers: readonly HqServer[];
  defaultValue: string;
}

/**
 * The CommCare server to connect to. The id and ARIA attributes a FormField
 * gives its control land on the trigger, the element people interact with;
 * the value reaches the form through Radix's hidden native select.
 */
export function ServerSelect({ name, servers, defaultValue, disabled, ...triggerProps }: ServerSelectProps) {
  return (
    <Select name={name} defaultValue={defaultValue} disabled={disabled}>
      <SelectTrigger {...triggerProps}>
        <SelectValue placeholder="Choose a CommCare server" />
      </SelectTrigger>
      <SelectContent>
        {servers.map((server) => (
          <SelectItem key={server.url} value={server.url} description={server.description ?? hostOf(server.url)}>
            {server.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
