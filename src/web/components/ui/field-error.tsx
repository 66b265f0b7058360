import { LinkedMessage } from '@/components/linked-message';
import { cn } from '@/lib/cn';

interface FieldErrorProps {
  /** Referenced by the control's aria-describedby, so the messages are read with the field. */
  id: string;
  messages: readonly string[] | undefined;
  className?: string;
}

/** A field's validation messages, shown under the control. */
export function FieldError({ id, messages, className }: FieldErrorProps) {
  if (!messages?.length) return null;
  return (
    <div id={id} className={cn('grid gap-0.5 text-sm text-destructive', className)}>
      {messages.map((message, index) => (
        <p key={index}>
          <LinkedMessage text={message} />
        </p>
      ))}
    </div>
  );
}
