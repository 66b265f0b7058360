import type { TenantSummary } from '@shared/tenants';
import { MousePointerClick } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { useAppStore } from '@/store/app-store';

/** How many domains the prompt offers as buttons; the sidebar's selector lists them all. */
const QUICK_PICKS = 5;

interface SelectDomainPromptProps {
  domains: TenantSummary[];
  /** What choosing a domain is for: "Select a domain to start chatting". */
  title: string;
  /** What the domain will be used for: "Choose the CommCare project you want to ask about." */
  purpose: string;
}

/** For a page that works on one domain when none is chosen: a few to pick from, and where to switch later. */
export function SelectDomainPrompt({ domains, title, purpose }: SelectDomainPromptProps) {
  const setActiveDomain = useAppStore((state) => state.setActiveDomain);
  return (
    <EmptyState
      icon={MousePointerClick}
      title={title}
      description={`${purpose} You can switch at any time with Domain in the sidebar.`}
      action={domains.slice(0, QUICK_PICKS).map((domain) => (
        <Button key={domain.id} variant="outline" onClick={() => void setActiveDomain(domain.id)}>
          {domain.tenant_name}
        </Button>
      ))}
    />
  );
}
