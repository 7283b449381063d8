import { html, nothing } from "lit";
import type { Caller, User } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { spaceUrl } from "../base/space-url.js";
import type { HubOAuthVariables } from "./hub-oauth.js";
import { loginButtonStyles } from "./loginbutton.styles.js";

/** Fired by `<sc-loginbutton>` on a static Space when the visitor signs in or out. */
export class CallerChangeEvent extends Event {
  constructor(readonly caller: Caller) {
    super("sc-caller-change", { bubbles: true, composed: true });
  }
}

/** Inside the huggingface.co page a Space runs in an iframe, where sign-in cannot finish. */
function inIframe(): boolean {
  return window.top !== window.self;
}

/**
 * @summary "Sign in with Hugging Face", or the signed-in visitor with a sign-out button. On a
 * server the sign-in goes through its `/login/huggingface` routes; on a static Space the page
 * signs in itself with `@huggingface/hub` and hands the visitor to the worker. Inside an iframe
 * (the Space's page on huggingface.co) the sign-in opens in a new tab, as the Hub asks.
 *
 * @event sc-caller-change - A static Space's visitor signed in or out (`event.caller`).
 *
 * @csspart button - The sign-in or sign-out button.
 * @csspart avatar - The visitor's picture.
 * @csspart user - "Signed in as @name".
 * @csspart note - Why sign-in is unavailable, or what went wrong.
 */
@customElement("sc-loginbutton")
export class ScLoginbutton extends ScElement {
  static override styles = [...ScElement.styles, loginButtonStyles];

  /** Text of the sign-in button. */
  @property() value = "Sign in with Hugging Face";
  /** Text of the sign-out button; `{}` stands for the username. */
  @property() logoutValue = "Sign out ({})";
  /** Where the demo runs: on a server, or in the page's worker (a static Space). */
  @property() runtime: "server" | "worker" = "server";
  /** The signed-in visitor, or null. */
  @property({ attribute: false }) user: User | null = null;

  /** Whether sign-in works here; undefined until known. */
  @state() private available: boolean | undefined;
  @state() private note = "";
  #variables: HubOAuthVariables | undefined;
  #checking: Promise<void> | undefined;

  /** Resolves once the element knows whether anyone is signed in. */
  get ready(): Promise<void> {
    return this.#checking ?? Promise.resolve();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#checking ??= this.check();
    window.addEventListener("focus", this.onFocus);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("focus", this.onFocus);
  }

  override render() {
    if (this.available === false) {
      return html`<div class="bar">
        <button part="button" class="button" type="button" disabled>${this.value}</button>
        <p part="note" class="note">
          ${
            this.runtime === "worker"
              ? html`Sign in with Hugging Face works once this static Space is on the Hub with
                  <code>hf_oauth: true</code> in its README.`
              : html`Sign in with Hugging Face works on a Space with <code>hf_oauth: true</code> in its
                  README. To try it here, set <code>OAUTH_CLIENT_ID</code>,
                  <code>OAUTH_CLIENT_SECRET</code> and <code>OPENID_PROVIDER_URL</code> (an OAuth app
                  from huggingface.co/settings/connected-applications).`
          }
        </p>
      </div>`;
    }
    const note = this.note ? html`<p part="note" class="note" role="status">${this.note}</p>` : nothing;
    const user = this.user;
    if (user) {
      return html`<div class="bar">
          ${user.avatar ? html`<img part="avatar" class="avatar" src=${user.avatar} alt="" />` : nothing}
          <span part="user">Signed in as <strong>@${user.username}</strong></span>
          <button part="button" class="button" type="button" @click=${this.signOut}>
            ${this.logoutValue.replaceAll("{}", user.username)}
          </button>
        </div>
        ${note}`;
    }
    return html`<div class="bar">
        <button
          part="button"
          class="button"
          type="button"
          ?disabled=${this.available === undefined}
          @click=${this.signIn}
        >
          <span aria-hidden="true">🤗</span> ${this.value}
        </button>
      </div>
      ${note}`;
  }

  private async check(): Promise<void> {
    try {
      if (this.runtime === "worker") await this.checkInPage();
      else await this.checkOnServer();
    } catch (error) {
      this.note = `Could not check who is signed in: ${error instanceof Error ? error.message : String(error)}`;
      this.available ??= true;
    }
  }

  private async checkOnServer(): Promise<void> {
    const response = await fetch(spaceUrl("login/huggingface/user"), { cache: "no-store" });
    if (response.status === 404) {
      this.available = false;
      return;
    }
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const { user } = (await response.json()) as { user: User | null };
    this.available = true;
    this.user = user;
  }

  private async checkInPage(): Promise<void> {
    const variables = (window as { huggingface?: { variables?: Partial<HubOAuthVariables> } }).huggingface
      ?.variables;
    if (!variables?.OAUTH_CLIENT_ID) {
      this.available = false;
      return;
    }
    this.#variables = variables as HubOAuthVariables;
    this.available = true;
    const hub = await import("./hub-oauth.js");
    try {
      const signedIn = await hub.restoreSignIn(this.#variables);
      this.user = signedIn?.user ?? null;
      this.dispatchEvent(new CallerChangeEvent(hub.callerOf(signedIn)));
    } catch (error) {
      this.note = `Sign in with Hugging Face did not work: ${error instanceof Error ? error.message : String(error)}. Try again.`;
      return;
    }
    // The tab opened from the Hub's iframe starts the sign-in at once.
    if (!this.user && !inIframe() && new URL(location.href).searchParams.has(hub.START_PARAM)) {
      await hub.startSignIn(this.#variables);
    }
  }

  private readonly signIn = async (): Promise<void> => {
    this.note = "";
    if (this.runtime === "worker") {
      const variables = this.#variables;
      if (!variables) return;
      if (inIframe()) {
        const url = new URL(location.href);
        url.searchParams.set((await import("./hub-oauth.js")).START_PARAM, "huggingface");
        this.openTab(url.href);
        return;
      }
      try {
        await (await import("./hub-oauth.js")).startSignIn(variables);
      } catch (error) {
        this.note = `Could not start the sign-in: ${error instanceof Error ? error.message : String(error)}`;
      }
      return;
    }
    const url = this.serverUrl("login/huggingface");
    if (inIframe()) this.openTab(url);
    else location.assign(url);
  };

  private readonly signOut = async (): Promise<void> => {
    if (this.runtime === "worker") {
      const hub = await import("./hub-oauth.js");
      hub.signOut();
      this.user = null;
      this.dispatchEvent(new CallerChangeEvent({}));
      return;
    }
    location.assign(this.serverUrl("logout/huggingface"));
  };

  /** A sign-in route of the server that brings the visitor back to this page. */
  private serverUrl(route: string): string {
    const url = spaceUrl(route);
    url.searchParams.set("_target_url", `${location.pathname}${location.search}`);
    return url.href;
  }

  private openTab(url: string): void {
    window.open(url, "_blank", "noopener");
    this.note = "Finish signing in in the new tab, then come back to this page.";
  }

  /** Back from the sign-in tab: a server session started there shows here once the page reloads. */
  private readonly onFocus = async (): Promise<void> => {
    if (this.runtime !== "server" || !inIframe() || !this.available) return;
    const before = this.user?.username;
    await this.checkOnServer().catch(() => {});
    // The demo's connection knows the visitor from when it opened: reload to use the new one.
    if (this.user?.username !== before) location.reload();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-loginbutton": ScLoginbutton;
  }
  interface GlobalEventHandlersEventMap {
    "sc-caller-change": CallerChangeEvent;
  }
}
