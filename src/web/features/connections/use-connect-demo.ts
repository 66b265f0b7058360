import type { TenantCredentialSummary } from '@shared/tenants';
import { useState } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { tenantsApi } from '@/api/tenants';

/** "Try with demo data": connects the built-in simulator's demo domain in one step. */
export function useConnectDemo(onConnected: (connection: TenantCredentialSummary) => Promise<void> | void) {
  const [connecting, setConnecting] = useState(false);

  async function connect() {
    if (connecting) return;
    setConnecting(true);
    try {
      const connection = await tenantsApi.connectDemo();
      await onConnected(connection);
    } catch (error) {
      toast.error("Couldn't connect the demo domain", { description: asApiError(error).message });
    } finally {
      setConnecting(false);
    }
  }

  return { connect, connecting };
}
