import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import type { Extension } from "@codemirror/state";
import { Compartment, EditorState, Transaction } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import type { CodeLanguage } from "spacecraft";

/** Each language's support, imported only when an editor first shows that language. */
const languages: Record<CodeLanguage, () => Promise<Extension>> = {
  python: () => import("@codemirror/lang-python").then((m) => m.python()),
  javascript: () => import("@codemirror/lang-javascript").then((m) => m.javascript()),
  typescript: () => import("@codemirror/lang-javascript").then((m) => m.javascript({ typescript: true })),
  json: () => import("@codemirror/lang-json").then((m) => m.json()),
  html: () => import("@codemirror/lang-html").then((m) => m.html()),
  css: () => import("@codemirror/lang-css").then((m) => m.css()),
  markdown: () => import("@codemirror/lang-markdown").then((m) => m.markdown()),
  sql: () => import("@codemirror/lang-sql").then((m) => m.sql()),
};

/** What `<sc-code>` needs of its editor. */
export interface CodeEditor {
  /** The text in the editor. */
  readonly text: string;
  /** Replaces the text (a result from the server), keeping the cursor where it can. */
  setText(text: string): void;
  /** Highlights another language (loaded on first use), or none. */
  setLanguage(language: CodeLanguage | null): Promise<void>;
  /** Lets the visitor type, or not. */
  setEditable(editable: boolean): void;
  destroy(): void;
}

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--sc-color-surface)", color: "var(--sc-color-text)" },
  ".cm-content": { fontFamily: "var(--sc-font-mono)", caretColor: "var(--sc-color-text)" },
  ".cm-gutters": {
    backgroundColor: "var(--sc-color-surface)",
    color: "var(--sc-color-text-muted)",
    borderRight: "1px solid var(--sc-color-border)",
  },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--sc-color-primary) 6%, transparent)" },
  "&.cm-focused": { outline: "none" },
});

/** A CodeMirror 6 editor in `parent` (inside the element's shadow root, where its styles go). */
export async function createEditor(
  parent: HTMLElement,
  options: {
    text: string;
    language: CodeLanguage | null;
    editable: boolean;
    label: string;
    onInput: (text: string) => void;
  },
): Promise<CodeEditor> {
  const language = new Compartment();
  const editable = new Compartment();
  const view = new EditorView({
    parent,
    root: parent.getRootNode() as ShadowRoot,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        theme,
        language.of([]),
        editable.of([EditorView.editable.of(options.editable), EditorState.readOnly.of(!options.editable)]),
        EditorView.updateListener.of((update) => {
          // The visitor's edits carry a user event (typing, deleting, undo); `setText`'s do not.
          if (update.docChanged && update.transactions.some((t) => t.annotation(Transaction.userEvent)))
            options.onInput(update.state.doc.toString());
        }),
      ],
    }),
  });
  let wanted: CodeLanguage | null = null;
  const editor: CodeEditor = {
    get text() {
      return view.state.doc.toString();
    },
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    async setLanguage(name) {
      wanted = name;
      const support = name === null ? [] : await languages[name]();
      if (wanted === name) view.dispatch({ effects: language.reconfigure(support) });
    },
    setEditable(on) {
      view.dispatch({
        effects: editable.reconfigure([EditorView.editable.of(on), EditorState.readOnly.of(!on)]),
      });
    },
    destroy: () => view.destroy(),
  };
  await editor.setLanguage(options.language);
  return editor;
}
