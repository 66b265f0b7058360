import { Skeleton } from '@/components/ui/skeleton';

/** A list's loading state: `count` placeholders shaped like its items, announced as `label`. */
export function SkeletonList({ label, count, itemClassName, className = 'grid gap-2' }: { label: string; count: number; itemClassName: string; className?: string }) {
  return (
    <div role="status" aria-label={label} className={className}>
      {Array.from({ length: count }, (_, index) => (
        <Skeleton key={index} className={itemClassName} />
      ))}
    </div>
  );
}
