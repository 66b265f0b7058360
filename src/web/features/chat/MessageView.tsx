import type { ChatMessageMetadata } from '@shared/chat';
import type { UIMessage } from 'ai';
import { CircleStop } from 'lucide-react';
import { Markdown } from './Markdown';
import { ToolCard, type ToolCallPart } from './ToolCard';

interface MessageViewProps {
  message: UIMessage<ChatMessageMetadata>;
  membershipId: string;
  domain: { name: string };
}

/** One message: the user's question as a bubble, or the agent's answer with its tool calls in order. */
export function MessageView({ message, membershipId, domain }: MessageViewProps) {
  if (message.role === 'user') {
    const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    return (
      <div className="flex justify-end" data-role="user">
        <p className="max-w-[85%] rounded-2xl rounded-br-sm bg-primary px-4 py-2 text-sm whitespace-pre-wrap text-primary-foreground">{text}</p>
      </div>
    );
  }
  const stopped = message.metadata?.stopped;
  return (
    <article className="grid min-w-0 gap-3 text-sm leading-relaxed" data-role="assistant" aria-label="Scout's answer">
      {message.parts.map((part, index) => {
        if (part.type === 'text') return part.text ? <Markdown key={index} text={part.text} /> : null;
        if (part.type.startsWith('tool-')) return <ToolCard key={(part as ToolCallPart).toolCallId} part={part as ToolCallPart} membershipId={membershipId} domain={domain} />;
        return null;
      })}
      {stopped && (
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <CircleStop aria-hidden className="size-3.5" />
          {stopped === 'timeout' ? 'Stopped: the answer took too long.' : 'Stopped.'}
        </p>
      )}
    </article>
  );
}
