import { useChat } from '@ai-sdk/react';
import { MAX_QUESTION_CHARS, type ChatMessageMetadata } from '@shared/chat';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { ArrowUp, CircleAlert, RotateCcw, Sparkles, Square } from 'lucide-react';
import { useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { chatApi } from '@/api/chat';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { cn } from '@/lib/cn';
import { chatErrorMessage } from './chat-error';
import { MessageView } from './MessageView';

export type ChatMessage = UIMessage<ChatMessageMetadata>;

interface ConversationProps {
  membershipId: string;
  domain: { name: string };
  threadId: string;
  initialMessages: ChatMessage[];
  /** Questions offered while the thread is empty. */
  starters: string[];
  /** The heading of an empty thread, e.g. "Ask about Demo Clinic". */
  emptyTitle?: string;
  /** The first question was sent: the thread now exists on the server. */
  onStarted: () => void;
  /** An answer finished (or stopped): the thread list may have changed. */
  onAnswered: () => void;
  disabled?: boolean;
}

/** One thread: the messages as they stream, the composer, Stop, and Retry after a failure. */
export function Conversation({ membershipId, domain, threadId, initialMessages, starters, emptyTitle, onStarted, onAnswered, disabled = false }: ConversationProps) {
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: chatApi.endpoint(membershipId),
        credentials: 'same-origin',
        // The server answers from the stored thread, so only the question travels (not every earlier result table).
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
          body: { id, trigger, messageId, messages: messages.slice(-1), data: { threadId } },
        }),
      }),
    [membershipId, threadId],
  );
  const composer = useRef<ComposerHandle>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const { messages, sendMessage, status, stop, error, regenerate, clearError } = useChat<ChatMessage>({
    id: threadId,
    messages: initialMessages,
    transport,
    experimental_throttle: 50,
    onFinish: ({ isError }) => {
      onAnswered();
      // A question typed while this answer came (see Composer) goes now, once the chat has settled.
      setTimeout(() => {
        const kept = composer.current?.takeKept(isError);
        if (!kept) return;
        stickToBottom.current = true;
        void sendMessage({ text: kept.trim() });
      }, 0);
    },
  });
  const busy = status === 'submitted' || status === 'streaming';

  // Follow the answer as it streams, unless the user scrolled up to read.
  useEffect(() => {
    const onScroll = () => {
      stickToBottom.current = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  useEffect(() => {
    if (stickToBottom.current) bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages, status]);

  function ask(text: string) {
    const question = text.trim();
    if (!question || busy || disabled) return;
    if (messages.length === 0) onStarted();
    stickToBottom.current = true;
    void sendMessage({ text: question });
  }

  return (
    <div className="flex min-h-[calc(100dvh-14rem)] min-w-0 flex-col gap-4">
      {/* Announced once per state, not per streamed word. */}
      <p role="status" className="sr-only">
        {status === 'submitted' ? 'Scout is thinking…' : status === 'streaming' ? 'Scout is answering…' : status === 'error' ? 'The answer failed.' : messages.length > 0 ? 'Answer ready.' : ''}
      </p>
      <div className="grid min-w-0 flex-1 content-start gap-6" aria-busy={busy}>
        {messages.length === 0 && emptyTitle && (
          <div className="grid gap-1 pt-2">
            <h2 className="text-xl font-semibold tracking-tight">{emptyTitle}</h2>
            <p className="text-sm text-muted-foreground">Scout explores the tables, runs SQL and answers with the numbers, a chart or the table behind them, and the query it ran.</p>
          </div>
        )}
        {messages.length === 0 && starters.length > 0 && !disabled && (
          <section aria-labelledby="starters" className="grid gap-3">
            <h2 id="starters" className="flex items-center gap-2 text-sm font-medium text-muted-foreground">
              <Sparkles aria-hidden className="size-4" />
              Try asking
            </h2>
            <div className="grid gap-2 sm:grid-cols-2">
              {starters.map((question) => (
                <button
                  key={question}
                  type="button"
                  onClick={() => ask(question)}
                  className="rounded-lg border bg-card px-4 py-3 text-left text-sm shadow-xs transition-colors hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                >
                  {question}
                </button>
              ))}
            </div>
          </section>
        )}
        {messages.map((message) => (
          <MessageView key={message.id} message={message} membershipId={membershipId} domain={domain} />
        ))}
        {status === 'submitted' && (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Spinner className="size-4" />
            Thinking…
          </p>
        )}
        {error && (
          <Alert variant="destructive">
            <CircleAlert aria-hidden />
            <AlertTitle>The answer didn't come through</AlertTitle>
            <AlertDescription>
              <p>{chatErrorMessage(error)}</p>
              <div className="mt-2 flex gap-2">
                <Button size="sm" variant="outline" onClick={() => void regenerate()}>
                  <RotateCcw aria-hidden />
                  Retry
                </Button>
                <Button size="sm" variant="ghost" onClick={clearError}>
                  Dismiss
                </Button>
              </div>
            </AlertDescription>
          </Alert>
        )}
        <div ref={bottom} />
      </div>
      <Composer handle={composer} busy={busy} disabled={disabled} onAsk={ask} onStop={() => void stop()} />
    </div>
  );
}

/**
 * While an answer is on its way (or being retried), Enter can't send: the
 * question stays in the box, the note says so, and it goes out by itself
 * once the answer is in. If that answer failed instead, it waits for the
 * user (who may want to retry first).
 */
interface ComposerHandle {
  /** The question typed while an answer was coming, to send now; null when there is none (or the answer failed). */
  takeKept: (failed: boolean) => string | null;
}

function Composer({
  handle,
  busy,
  disabled,
  onAsk,
  onStop,
}: {
  handle: Ref<ComposerHandle>;
  busy: boolean;
  disabled: boolean;
  onAsk: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState('');
  const [waiting, setWaiting] = useState<'answer' | 'failed' | null>(null);
  const inputId = useId();
  const countId = useId();
  const noteId = useId();
  const tooLong = text.length > MAX_QUESTION_CHARS;

  function submit() {
    if (!text.trim() || tooLong) return;
    if (busy) {
      setWaiting('answer');
      return;
    }
    setWaiting(null);
    onAsk(text);
    setText('');
  }

  // The answer being waited for has ended (Conversation asks): hand over the question kept meanwhile, unless that answer failed.
  useImperativeHandle(
    handle,
    () => ({
      takeKept(failed: boolean) {
        // A question kept after a failure goes too once a retry has answered.
        if (!waiting) return null;
        if (failed) {
          setWaiting('failed');
          return null;
        }
        setWaiting(null);
        if (!text.trim() || tooLong || disabled) return null;
        setText('');
        return text;
      },
    }),
    [waiting, text, tooLong, disabled],
  );

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const note =
    waiting === 'answer' || (waiting === 'failed' && busy)
      ? 'Scout is still on the last answer. Your question is kept here and goes out as soon as that answer is in (or press Stop).'
      : waiting === 'failed'
        ? 'Not sent yet: the last answer failed. Press Enter to send your question, or Retry the last one first.'
        : null;

  return (
    <form
      className="sticky bottom-0 -mx-1 bg-background/95 px-1 pt-2 pb-3 backdrop-blur supports-[backdrop-filter]:bg-background/80"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={inputId} className="sr-only">
        Your question
      </label>
      <div className={cn('flex items-end gap-2 rounded-xl border bg-card p-2 shadow-sm focus-within:ring-[3px] focus-within:ring-ring/50', tooLong && 'border-destructive')}>
        <textarea
          id={inputId}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (!event.target.value.trim()) setWaiting(null);
          }}
          onKeyDown={onKeyDown}
          disabled={disabled}
          rows={1}
          placeholder={disabled ? 'Configure a language model to ask questions' : 'Ask a question about this domain’s data…'}
          aria-describedby={note ? `${noteId} ${countId}` : countId}
          className="field-sizing-content max-h-48 min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-sm outline-none placeholder:text-muted-foreground disabled:cursor-not-allowed"
        />
        {busy ? (
          <Button type="button" size="icon" variant="outline" onClick={onStop} aria-label="Stop the answer">
            <Square aria-hidden className="fill-current" />
          </Button>
        ) : (
          <Button type="submit" size="icon" disabled={disabled || !text.trim() || tooLong} aria-label="Send">
            <ArrowUp aria-hidden />
          </Button>
        )}
      </div>
      {note && (
        <p id={noteId} role="status" className="mt-1 px-2 text-xs text-muted-foreground">
          {note}
        </p>
      )}
      <p id={countId} className={cn('mt-1 px-2 text-xs text-muted-foreground', tooLong ? 'text-destructive' : text.length < MAX_QUESTION_CHARS * 0.8 && 'sr-only')}>
        {tooLong ? `The question is too long: ${text.length} of ${MAX_QUESTION_CHARS} characters.` : `${text.length} of ${MAX_QUESTION_CHARS} characters. Enter sends, Shift+Enter starts a new line.`}
      </p>
    </form>
  );
}
