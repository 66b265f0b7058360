import { acceptCompletion, autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, placeholder as placeholderText } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { formatDialect, postgresql } from 'sql-formatter';
import { useEffect, useImperativeHandle, useMemo, useRef, type Ref } from 'react';
import type { EditorSchema, SqlEditorHandle } from './sql-editor-handle';

interface SqlEditorProps {
  /** The query the editor opens with. */
  initialSql: string;
  schema: EditorSchema;
  /** The editor's accessible name. */
  label: string;
  describedBy?: string | undefined;
  placeholder?: string;
  onChange: (sql: string) => void;
  /** Ctrl/Cmd+Enter: runs the selection, or the whole query. */
  onRun: (sql: string) => void;
  onSelectionChange: (hasSelection: boolean) => void;
  ref?: Ref<SqlEditorHandle>;
}

/**
 * Colours that follow the page's scheme: `light-dark()` picks by the `color-scheme`
 * the page sets from prefers-color-scheme, so one style serves both.
 */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: 'light-dark(#7c3aed, #c4b5fd)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'light-dark(#047857, #6ee7b7)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'light-dark(#b45309, #fcd34d)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'light-dark(#6b7280, #9ca3af)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'light-dark(#0369a1, #7dd3fc)' },
  { tag: [tags.special(tags.name), tags.quote], color: 'light-dark(#be185d, #f9a8d4)' },
  { tag: [tags.operator, tags.punctuation, tags.paren, tags.brace, tags.squareBracket], color: 'light-dark(#4b5563, #d1d5db)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '0.875rem', backgroundColor: 'transparent', color: 'var(--foreground)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.55', overflow: 'auto' },
  '.cm-content': { padding: '0.5rem 0', caretColor: 'var(--foreground)' },
  '.cm-line': { padding: '0 0.75rem' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--foreground)' },
  '.cm-activeLine': { backgroundColor: 'light-dark(oklch(0.97 0 0 / 60%), oklch(1 0 0 / 4%))' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'light-dark(#ddd6fe, #4c1d95) !important',
  },
  '.cm-placeholder': { color: 'var(--muted-foreground)' },
  '.cm-matchingBracket': { backgroundColor: 'light-dark(#e5e7eb, #374151)' },
  '.cm-tooltip': { border: '1px solid var(--border)', backgroundColor: 'var(--popover)', color: 'var(--popover-foreground)', borderRadius: '0.5rem', overflow: 'hidden' },
  '.cm-tooltip-autocomplete > ul': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', maxHeight: '14rem' },
  '.cm-tooltip-autocomplete > ul > li': { padding: '0.15rem 0.5rem !important' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-foreground)' },
  '.cm-completionDetail': { color: 'var(--muted-foreground)', fontStyle: 'normal', marginLeft: '0.75rem' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
});

/** The domain's tables and their columns as lang-sql's completion namespace (types as the detail beside each name). */
function namespace(schema: EditorSchema): SQLNamespace {
  const tables: Record<string, SQLNamespace> = {};
  for (const [name, table] of Object.entries(schema)) {
    const self: Completion = { label: name, type: table.kind === 'view' ? 'type' : 'class', detail: table.kind, ...(table.description ? { info: table.description } : {}) };
    tables[name] = { self, children: table.columns.map((column): Completion => ({ label: column.name, type: 'property', detail: column.type })) };
  }
  return tables;
}

function language(schema: EditorSchema) {
  return sql({ dialect: PostgreSQL, schema: namespace(schema), upperCaseKeywords: true });
}

/** CodeMirror 6 with PostgreSQL highlighting, schema-aware completion, formatting and Ctrl/Cmd+Enter to run. */
export default function SqlEditor({ initialSql, schema, label, describedBy, placeholder, onChange, onRun, onSelectionChange, ref }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  // The latest callbacks, read by the editor's listeners (created once).
  const callbacks = useRef({ onChange, onRun, onSelectionChange });
  useEffect(() => {
    callbacks.current = { onChange, onRun, onSelectionChange };
  });

  useEffect(() => {
    const runnable = (state: EditorState) => {
      const { from, to } = state.selection.main;
      return from === to ? state.doc.toString() : state.sliceDoc(from, to);
    };
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initialSql,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: (target) => {
                  callbacks.current.onRun(runnable(target.state));
                  return true;
                },
              },
            ]),
          ),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          autocompletion({ icons: false, activateOnTyping: true }),
          keymap.of([{ key: 'Tab', run: acceptCompletion }, ...closeBracketsKeymap, ...completionKeymap, ...historyKeymap, ...defaultKeymap, indentWithTab]),
          languageSlot.current.of(language(schema)),
          syntaxHighlighting(highlight),
          theme,
          EditorView.lineWrapping,
          placeholderText(placeholder ?? ''),
          EditorView.contentAttributes.of({
            'aria-label': label,
            'aria-multiline': 'true',
            'aria-keyshortcuts': 'Control+Enter Meta+Enter',
            ...(describedBy ? { 'aria-describedby': describedBy } : {}),
            spellcheck: 'false',
            autocapitalize: 'off',
            autocorrect: 'off',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
            if (update.selectionSet || update.docChanged) callbacks.current.onSelectionChange(!update.state.selection.main.empty);
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; its document lives in CodeMirror, the schema is swapped below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A refetch hands over an equal schema as a new object; reconfiguring for it would close an
  // open completion list under the user's cursor, so only a schema that really changed is swapped in.
  // Memoized: the editor renders on every keystroke, the schema changes only with a refetch.
  const schemaKey = useMemo(() => JSON.stringify(schema), [schema]);
  const configuredKey = useRef(schemaKey);
  useEffect(() => {
    if (configuredKey.current === schemaKey) return;
    configuredKey.current = schemaKey;
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(language(schema)) });
    // schemaKey stands for schema's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schemaKey]);

  useImperativeHandle(ref, (): SqlEditorHandle => ({
      insert(text) {
        const editor = view.current;
        if (!editor) return;
        editor.dispatch(editor.state.replaceSelection(text), { scrollIntoView: true });
        editor.focus();
      },
      setSql(text) {
        const editor = view.current;
        if (!editor) return;
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text }, selection: { anchor: text.length } });
      },
      runnableSql() {
        const editor = view.current;
        if (!editor) return '';
        const { from, to } = editor.state.selection.main;
        return from === to ? editor.state.doc.toString() : editor.state.sliceDoc(from, to);
      },
      format() {
        const editor = view.current;
        if (!editor) return;
        const { from, to } = editor.state.selection.main;
        const [start, end] = from === to ? [0, editor.state.doc.length] : [from, to];
        const text = editor.state.sliceDoc(start, end);
        if (!text.trim()) return;
        let formatted: string;
        try {
          formatted = formatDialect(text, { dialect: postgresql, keywordCase: 'upper', tabWidth: 2 });
        } catch {
          // SQL the formatter can't read stays as written; running it says what is wrong.
          return;
        }
        editor.dispatch({ changes: { from: start, to: end, insert: formatted } });
        editor.focus();
      },
      focus() {
        view.current?.focus();
      },
  }), []);

  return <div ref={host} className="h-full min-h-0" />;
}
