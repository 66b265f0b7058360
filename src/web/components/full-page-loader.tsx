import { Spinner } from '@/components/ui/spinner';

/** Holds the page while something it depends on loads; shows itself only if that takes a moment. */
export function FullPageLoader({ label }: { label: string }) {
  return (
    <div className="flex min-h-svh animate-appear-late items-center justify-center">
      <Spinner label={label} className="size-6 text-muted-foreground" />
    </div>
  );
}
