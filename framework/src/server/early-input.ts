// The server-drawn page's first script, inline in its `<head>`: what a visitor does on the
// server's drawing before the page's scripts arrive reaches the live page instead of being lost.
import { createHash } from "node:crypto";
import type { ComponentConfig, DependencyConfig, SpaceConfig } from "../config.js";

/**
 * Until `<sc-app>` takes over, this keeps what the visitor does on the drawing that the live page
 * would otherwise lose (typed text and ticked boxes `<sc-app>` carries over itself):
 * - the drawn elements a choice was made in (a radio, a box of a group, an option of a list);
 * - a click on a drawn element's button, a pick of an examples row, Enter in a one-line field or
 *   a multimodal box, Ctrl/⌘+Enter in an element (the page's shortcut for its run), each once (a
 *   second click on Submit would reach the live button as Stop);
 *   a clicked button or row dims, so the click is seen to be taken;
 * - the files last dropped on a drawn element or picked in its drop zone (a `<label>` around its
 *   file input there; a file dragged onto the drawing is not opened in place of the page);
 * - the last tab picked in each list of tabs, and each accordion opened or closed.
 *
 * `<sc-app>` calls `spacecraftEarly(root)` once its live page is in `root`; the script then gives
 * that input to the live page through its own handlers: each choice made again where the live
 * element differs (a click on the radio or box, the option set and `change` sent), then, in
 * order, a click on the same button of the live element (a run, a stop, a sign-in), on the row,
 * on the tab or the accordion's summary, `sc-submit` from the field's element, Ctrl+Enter from
 * it, or the files dropped on its drop zone (`#control`).
 *
 * On a returning visitor's page it adds the page's scripts once the drawing's first frame is on
 * screen (see `pageHandler`).
 *
 * It also opens the page's WebSocket to the Space while the page's scripts load (once the
 * drawing's first frame is on screen: its set-up and handshake are work that frame need not wait for), which
 * the live page's transport takes over (`spacecraftSocket()`, `components/src/app/websocket.ts`)
 * with what it received meanwhile: a visitor's first run does not wait for a handshake after the
 * scripts (one or more round trips on a real network), and a model's status shows sooner. Where
 * the socket cannot be opened here, the transport opens its own.
 *
 * A click on a drawn button, or Enter in a drawn field, whose runs take only values the drawing
 * holds (`hold` below) is not kept but run at once over that socket: the
 * drawing acts before the page's scripts arrive, and the live page follows those runs (their
 * status, results, Stop and the steps chained after them; `JobController`).
 */
export const earlyInputScript = `(() => {
  let kept = [];
  const chosen = new Map();
  let live = false;
  const choices = (element) =>
    element?.shadowRoot?.querySelectorAll("input[type=radio], input[type=checkbox], select") ?? [];
  self.spacecraftEarly = (root) => {
    live = true;
    let done = Promise.resolve();
    const act = (element, run) => {
      done = done.then(() => element?.updateComplete).then(() => element && run(element));
    };
    const find = (id) => root.querySelector(\`[data-component-id="\${id}"]\`);
    for (const [id, drawn] of chosen)
      act(find(id), (element) => {
        const now = choices(element);
        choices(drawn).forEach((field, i) => {
          const same = now[i];
          if (!same || same.localName !== field.localName) return;
          if (field.localName !== "select") {
            if (same.checked !== field.checked) same.click();
          } else if (same.value !== field.value) {
            same.value = field.value;
            same.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
            same.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      });
    for (const { id, kind, index, drawn, files } of kept) {
      if (kind === "tab") act(root.getElementById(id), (tab) => tab.click());
      else if (kind === "details")
        act(root.querySelectorAll("details")[index], (details) => {
          if (details.open !== drawn.open) details.querySelector(":scope > summary")?.click();
        });
      else
        act(find(id), (element) => {
          if (kind === "submit") element.dispatchEvent(new Event("sc-submit", { bubbles: true, composed: true }));
          else if (kind === "shortcut")
            element.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, composed: true }));
          else if (kind === "row") element.shadowRoot?.querySelector(\`tbody tr[data-index="\${index}"]\`)?.click();
          else if (kind === "drop") {
            const data = new DataTransfer();
            for (const file of files) data.items.add(file);
            const zone = element.shadowRoot?.getElementById("control") ?? element;
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
          } else element.shadowRoot?.querySelectorAll("button")[index]?.click();
        });
    }
  };
  // Runs sent from the drawing, which the live page follows (spacecraftSocket's runs), and the
  // elements whose event sent them (once: a second click would reach the live page as Stop).
  const runs = [];
  const sent = new Set();
  // Set while such a run waits for the socket to open: the page's scripts are added after, as
  // running them would hold back the socket's "open" event, and so the run.
  let connecting;
  // What the drawing runs itself, by "componentId:event" (earlyRuns below); a page whose Space
  // runs on a server has it (a static Space's engine is a worker in the page).
  let plans = JSON.parse(document.getElementById("sc-early")?.textContent || "null");
  // The socket the drawing's runs go over, which the live page takes over (spacecraftSocket):
  // opened once the drawing's first frame is on screen (it need not wait for its set-up), or at once
  // when a run or the live page needs it first; once.
  let socket;
  let session;
  let tried = false;
  const received = [];
  const hold = (event) => received.push(event.data);
  const connect = () => {
    if (tried || !plans) return socket;
    tried = true;
    try {
      session = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      const url = new URL(\`ws?session=\${session}\`, document.baseURI);
      url.protocol = url.protocol.replace(/^http/, "ws");
      socket = new WebSocket(url);
      socket.addEventListener("message", hold);
    } catch {}
    return socket;
  };
  // Sends the runs of a drawn element's event when the drawing holds the values they take, and
  // none of them was sent already; else (and on a shared link's page, whose values the live page
  // restores, or after any input kept: it goes in the order it was made) the event is kept.
  const run = (host, event) => {
    const steps = plans?.[\`\${host.dataset.componentId}:\${event}\`];
    if (!steps || kept.length || !connect() || socket.readyState > 1) return false;
    // A box ticked, or a choice made in this run's radio, group of boxes or list, is read here; a
    // choice made elsewhere is replayed on the live page first.
    const read = new Set(steps.flatMap(({ inputs }) => inputs.filter(([, held]) => /^choices?$/.test(held)).map(([input]) => \`\${input}\`)));
    if ([...chosen].some(([id, drawn]) => drawn.localName !== "sc-checkbox" && !read.has(id))) return false;
    if (/deep_link=/.test(location.search + location.hash)) return false;
    if (steps.some((step) => runs.some((old) => old.endpoint === step.endpoint))) return false;
    // A step that cancels a run sent from here waits for the live page, which cancels it first.
    if (steps.some((step) => step.cancels?.some((endpoint) => runs.some((old) => old.endpoint === endpoint)))) return false;
    const messages = [];
    for (const { endpoint, inputs } of steps) {
      const data = [];
      for (const [input, held, extra] of inputs) {
        const drawn = host.getRootNode().querySelector(\`[data-component-id="\${input}"]\`)?.shadowRoot;
        const control = drawn?.getElementById("control");
        const ticked = () => [...drawn.querySelectorAll("input:checked")].map((box) => extra[box.dataset.index]);
        if (held === "state") data.push(null);
        else if (held === "check" && control?.type === "checkbox") data.push(control.checked);
        else if (held === "text" && control) data.push(control.value);
        else if (held === "number" && control?.value) data.push(+control.value);
        else if (held === "multimodal" && control) data.push({ text: control.value, files: [] });
        else if (held === "choice" && control?.localName === "select") data.push(extra[control.value] ?? null);
        else if (held === "choice" && drawn) data.push(ticked()[0] ?? null);
        else if (held === "choices" && drawn) data.push(ticked());
        else if (held === "fixed" && drawn && !chosen.has(\`\${input}\`)) data.push(extra);
        else return false;
      }
      messages.push({ type: "predict", id: \`early-\${runs.length + messages.length}\`, endpoint, data });
    }
    for (const message of messages) {
      runs.push({ id: message.id, endpoint: message.endpoint });
      const send = () => socket.send(JSON.stringify(message));
      if (socket.readyState) send();
      else socket.addEventListener("open", send);
    }
    if (!socket.readyState)
      connecting ??= new Promise((opened) => {
        socket.addEventListener("open", opened);
        socket.addEventListener("close", opened);
      });
    sent.add(host.dataset.componentId);
    return true;
  };
  const push = (input) => {
    const last = input.kind === "tab" || input.kind === "drop";
    const same = (old) =>
      old.kind === input.kind &&
      (input.kind === "tab" ? old.drawn.parentNode === input.drawn.parentNode : old.id === input.id && old.index === input.index);
    // A tab: the last one picked in its list; files: the last dropped on an element; anything else: the first time.
    if (last) kept = kept.filter((old) => !same(old));
    if (!kept.some(same)) kept.push(input);
  };
  const keep = (event, kind) => {
    if (live) return;
    const path = event.composedPath();
    const field = path[0];
    const at = path.findIndex((node) => node.localName?.startsWith("sc-") && node.dataset.componentId);
    if (at < 0) {
      // The layout's own controls: a tab, an accordion's summary.
      const tab = path.find((node) => node.getAttribute?.("role") === "tab");
      const details = path.find((node) => node.localName === "details");
      if (kind !== "click") return;
      if (tab?.id) push({ id: tab.id, kind: "tab", drawn: tab });
      else if (details && path.some((node) => node.localName === "summary"))
        push({ kind: "details", index: [...details.getRootNode().querySelectorAll("details")].indexOf(details), drawn: details });
      return;
    }
    const host = path[at];
    const id = host.dataset.componentId;
    const inner = path.slice(0, at);
    const row = inner.find((node) => node.localName === "tr" && node.parentElement?.localName === "tbody");
    const button = inner.find((node) => node.localName === "button");
    if (kind === "shortcut") {
      event.preventDefault();
      push({ id, kind });
    } else if (kind === "drop") {
      push({ id, kind, files: [...event.dataTransfer.files] });
      host.style.opacity = "0.6";
    } else if (kind === "input") {
      if (/^(radio|checkbox|select-one|select-multiple)$/.test(field.type)) chosen.set(id, host);
      else if (/^sc-(slider|colorpicker)$/.test(host.localName)) {
        // Two fields show one value (a slider's number box and range, a colour's swatch and
        // text; a date's picker below): #control is what a run and the live page read.
        if (field.value !== "")
          for (const other of host.shadowRoot.querySelectorAll("input")) if (other !== field) other.value = field.value;
      } else if (host.localName === "sc-datetime" && field.type !== "text") {
        // Its picker: its text field (#control) takes the date as the element writes it.
        const [date, time = "00:00:00"] = field.value.split("T");
        if (date) host.shadowRoot.getElementById("control").value = field.type === "date" ? date : date + " " + (time.length === 5 ? time + ":00" : time);
      } else if (field.type === "file" && field.files.length) {
        push({ id, kind: "drop", files: [...field.files] });
        host.style.opacity = "0.6";
      }
    } else if (kind === "enter") {
      // A one-line field, or a multimodal box's text, where Enter sends (Shift+Enter is a new line).
      const box = field.localName === "textarea" && host.localName === "sc-multimodaltextbox";
      if (box && !event.shiftKey) event.preventDefault();
      if (box ? !event.shiftKey : field.localName === "input" && /^(text|search|email|url|tel|password|number)$/.test(field.type))
        if (!sent.has(id) && !run(host, "submit")) push({ id, kind: "submit" });
    } else if (row?.dataset.index) {
      push({ id, kind: "row", index: row.dataset.index });
      row.style.opacity = "0.6";
    } else if (button && !button.disabled && !sent.has(id)) {
      if (!run(host, "click"))
        push({ id, kind: "button", index: [...host.shadowRoot.querySelectorAll("button")].indexOf(button) });
      button.style.opacity = "0.6";
    }
  };
  // Files dragged onto the drawing are taken, not opened in place of the page.
  addEventListener("dragover", (event) => {
    if (!live && event.dataTransfer?.types.includes("Files")) event.preventDefault();
  }, true);
  addEventListener("drop", (event) => {
    if (live || !event.dataTransfer?.files.length) return;
    event.preventDefault();
    keep(event, "drop");
  }, true);
  addEventListener("input", (event) => keep(event, "input"), true);
  addEventListener("click", (event) => keep(event, "click"), true);
  addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    // Ctrl/⌘+Enter runs the form (the page's hint says so): the live page's shortcut, replayed.
    keep(event, event.ctrlKey || event.metaKey ? "shortcut" : "enter");
  }, true);
  // Calls \`then\` once the drawing's first frame is on screen (its paint entry: work started
  // sooner, between the frame and its paint, holds the paint back), or a second after that frame
  // in a browser without paint entries; at once on a hidden page, which draws none (a tab in the
  // background).
  const afterFirstFrame = (then) => {
    if (document.hidden) return then();
    let called = false;
    const call = () => {
      if (!called) setTimeout(then);
      called = true;
    };
    try {
      new PerformanceObserver((_, observer) => {
        observer.disconnect();
        call();
      }).observe({ type: "paint", buffered: true });
    } catch {}
    requestAnimationFrame(() => setTimeout(call, 1000));
  };
  // Resolves once the page's scripts have run (<sc-app> waits for it): deferred, they have at
  // DOMContentLoaded. A returning visitor's page keeps them in a template instead: from the cache
  // they would run before the drawing's first frame. They are added once it is on screen, in order.
  self.spacecraftScripts = new Promise((ran) => addEventListener("DOMContentLoaded", () => {
    const later = document.getElementById("sc-scripts");
    if (!later) return ran();
    let started = false;
    const start = (now) => {
      if (started) return;
      if (connecting && !now) return void connecting.then(() => start(true));
      started = true;
      let last;
      for (const kept of later.content.children) {
        const tag = document.createElement(kept.localName);
        for (const { name, value } of kept.attributes) tag.setAttribute(name, value);
        if (tag.localName === "script") (last = tag).async = false;
        document.head.append(tag);
      }
      if (last) last.onload = last.onerror = ran;
      else ran();
    };
    afterFirstFrame(start);
    setTimeout(() => start(true), 1000);
  }, { once: true }));
  if (plans) {
    afterFirstFrame(connect);
    // Handed over: from then on the live page sends.
    self.spacecraftSocket = () => {
      const opened = connect();
      plans = null;
      opened?.removeEventListener("message", hold);
      return opened && { socket: opened, session, received, runs };
    };
  }
})();`;

/**
 * How the drawing holds an input's value: a field's text or number, a box's tick, the choice of
 * a radio or a list (`values[index]`), the ticked boxes of a group, a multimodal box's text (no
 * files yet); "fixed" for an element the visitor cannot change on the drawing (an image, a file,
 * JSON, a multi-select list …: its value is the initial one, and a file dropped or a choice made
 * there is kept for the live page instead); State goes as null.
 */
type Held = "text" | "number" | "check" | "choice" | "choices" | "multimodal" | "fixed" | "state";
const fixed = new Set([
  "annotatedimage",
  "audio",
  "chatbot",
  "code",
  "dataframe",
  "downloadbutton",
  "file",
  "gallery",
  "highlightedtext",
  "html",
  "image",
  "imageslider",
  "json",
  "label",
  "markdown",
  "nativeplot",
  "uploadbutton",
  "video",
]);
/** One input of an early run: its id, how it is held, and the choices' values or the fixed value. */
type EarlyInput = [id: number, held: Held, extra?: unknown];

/** How the drawing holds `component`'s value, or undefined where it does not (the live page reads it). */
function hold(component: ComponentConfig): EarlyInput | undefined {
  const { id, type, props } = component;
  const values = () =>
    ((props.choices as unknown[] | undefined) ?? []).map((choice) =>
      Array.isArray(choice) ? choice[1] : choice,
    );
  switch (type) {
    case "textbox":
    case "colorpicker":
    case "datetime":
      return [id, "text"];
    case "number":
    case "slider":
      return [id, "number"];
    case "checkbox":
      return [id, "check"];
    case "state":
      return [id, "state"];
    case "radio":
      return [id, "choice", values()];
    case "checkboxgroup":
      return [id, "choices", values()];
    case "dropdown":
      if (props.allowCustomValue) return undefined;
      return props.multiselect ? [id, "fixed", props.value ?? null] : [id, "choice", values()];
    case "multimodaltextbox": {
      const files = (props.value as { files?: unknown[] } | null | undefined)?.files;
      return files?.length ? undefined : [id, "multimodal"];
    }
    default:
      // Unset, such an element's value is null on the live page too (`<sc-app>`'s `clear`).
      return fixed.has(type) ? [id, "fixed", props.value ?? null] : undefined;
  }
}

/**
 * What the drawing sends for one event: each step's endpoint, its inputs with how each is held,
 * and the endpoints whose runs it cancels (a chat's Send cancels a retry), if any.
 */
export type EarlyRuns = Record<string, { endpoint: number; inputs: EarlyInput[]; cancels?: number[] }[]>;

/** The events the drawing can send, by element type: a button's click, a field's Enter. */
const sends: Record<string, string> = { button: "click", textbox: "submit", multimodaltextbox: "submit" };

/**
 * The events of the drawing that {@link earlyInputScript} runs itself, by `componentId:event`: a
 * button's click and a text box's submit whose steps all run on the server and take only values
 * the drawing holds (a step that cancels a run the drawing sent waits for the live page).
 */
export function earlyRuns(config: SpaceConfig): EarlyRuns {
  const components = new Map(config.components.map((component) => [component.id, component]));
  // A step as the drawing sends it; undefined where it runs in the page or takes a value the
  // drawing does not hold.
  const plan = (step: DependencyConfig): EarlyRuns[string][number] | undefined => {
    const inputs = step.inputs.map((input) => {
      const component = components.get(input);
      return component && hold(component);
    });
    if (!step.backend_fn || !inputs.every((input) => input !== undefined)) return undefined;
    return { endpoint: step.id, inputs, ...(step.cancels.length ? { cancels: step.cancels } : {}) };
  };
  const plans: EarlyRuns = {};
  for (const [id, { type }] of components) {
    const event = sends[type];
    const runs = config.dependencies
      .filter((step) => step.targets.some(([target, name]) => target === id && name === event))
      .map(plan);
    if (runs.length && runs.every((run) => run !== undefined)) plans[`${id}:${event}`] = runs;
  }
  return plans;
}

/**
 * Whether the drawing runs every button's click itself: its page can wait for the first frame
 * before running its scripts, as the drawing acts meanwhile.
 */
export function drawingActs(config: SpaceConfig, plans: EarlyRuns): boolean {
  const clicked = config.components.filter(
    (component) =>
      component.type === "button" &&
      config.dependencies.some((step) =>
        step.targets.some(([target, name]) => target === component.id && name === "click"),
      ),
  );
  return clicked.length > 0 && clicked.every((button) => `${button.id}:click` in plans);
}

/** The Content-Security-Policy source that lets {@link earlyInputScript} run. */
export const earlyInputSource = `'sha256-${createHash("sha256").update(earlyInputScript).digest("base64")}'`;
