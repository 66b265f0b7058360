import type { ReactNode } from 'react';
import { DocumentTitle } from '@/components/document-title';
import { ScoutWordmark } from '@/components/scout-wordmark';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';

interface AccountPageProps {
  /** The page's heading, and the tab title. */
  title: string;
  description: string;
  children: ReactNode;
  /** The way to the other account page, shown under the card. */
  footer: ReactNode;
}

/** The centered card that the sign-in and sign-up forms sit in. */
export function AccountPage({ title, description, children, footer }: AccountPageProps) {
  return (
    <main className="flex min-h-svh flex-col items-center justify-center bg-muted/40 px-4 py-12">
      <DocumentTitle>{title}</DocumentTitle>
      <ScoutWordmark className="mb-8 text-xl" />
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      <p className="mt-6 text-sm text-muted-foreground">{footer}</p>
    </main>
  );
}
