import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';

/** Copies `text` to the clipboard and says so; `iconOnly` for a small corner button (the label is then only for screen readers). */
export function CopyButton({ text, label, iconOnly = false, className }: { text: string; label: string; iconOnly?: boolean; className?: string }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Couldn't copy. Select the text and copy it yourself.");
    }
  }

  return (
    <Button
      type="button"
      variant={iconOnly ? 'ghost' : 'outline'}
      size={iconOnly ? 'icon' : 'sm'}
      className={cn(iconOnly && 'size-7', className)}
      onClick={() => void copy()}
      aria-label={copied && iconOnly ? 'Copied' : label}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {!iconOnly && (copied ? 'Copied' : 'Copy')}
    </Button>
  );
}

/** A block of text to paste somewhere else, with its copy button. */
export function CopyableBlock({ label, text }: { label: string; text: string }) {
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-medium">{label}</span>
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre className="overflow-x-auto rounded-md border bg-muted/50 p-3 font-mono text-xs leading-relaxed">
        <code>{text}</code>
      </pre>
    </div>
  );
}
