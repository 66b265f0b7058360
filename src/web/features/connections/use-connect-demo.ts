import type { TenantCredentialSummary } from '@shared/tenants';
import { useState } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { tenantsApi } from '@/api/tenants';
import { warehouseApi } from '@/api/warehouse';

/**
 * "Try with demo data": connects the built-in simulator's demo domain and
 * starts copying its data in one step, so there is something to look at by
 * the time the user gets to the Data page. A sync that can't start is said,
 * and the domain stays connected (the Data page offers "Sync now").
 */
export function useConnectDemo(onConnected: (connection: TenantCredentialSummary) => Promise<void> | void) {
  const [connecting, setConnecting] = useState(false);

  async function connect() {
    if (connecting) return;
    setConnecting(true);
    try {
      const connection = await tenantsApi.connectDemo();
      try {
        await warehouseApi.startRun(connection.membership_id);
      } catch (error) {
        toast.error("Couldn't start copying the demo data", { description: asApiError(error).message });
      }
      await onConnected(connection);
    } catch (error) {
      toast.error("Couldn't connect the demo domain", { description: asApiError(error).message });
    } finally {
      setConnecting(false);
    }
  }

  return { connect, connecting };
}
