import type { ReactNode } from 'react';
import { DocumentTitle } from '@/components/document-title';
import { ScoutWordmark } from '@/components/scout-wordmark';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { cn } from '@/lib/cn';

interface AccountPageProps {
  /** The page's heading, and the tab title. */
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** The way to the other account page, shown under the card. */
  footer: ReactNode;
  /** `md` for a card with more to read than a form (the MCP consent page). */
  size?: 'sm' | 'md';
}

/** The centered card that the sign-in and sign-up forms (and the MCP consent page) sit in. */
export function AccountPage({ title, description, children, footer, size = 'sm' }: AccountPageProps) {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center bg-muted/40 px-4 py-12">
      <DocumentTitle>{title}</DocumentTitle>
      <ScoutWordmark className="mb-8 text-xl" />
      <Card className={cn('w-full', size === 'sm' ? 'max-w-sm' : 'max-w-md')}>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight text-balance break-words">{title}</h1>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      <p className="mt-6 max-w-md text-center text-sm text-muted-foreground">{footer}</p>
    </main>
  );
}
