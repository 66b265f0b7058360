import { cn } from '@/lib/cn';

/** Scout's mark (a compass needle) and name. The favicon in index.html draws the same mark. */
export function ScoutWordmark({ className }: { className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-2 text-lg font-semibold tracking-tight', className)}>
      <svg viewBox="0 0 32 32" className="size-7 shrink-0 text-primary" aria-hidden>
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <g transform="rotate(45 16 16)" className="fill-primary-foreground">
          <path d="M16 6.5 20 16h-8z" />
          <path d="M12 16h8l-4 9.5z" fillOpacity={0.45} />
        </g>
      </svg>
      Scout
    </span>
  );
}
