import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link LoginButton}. */
export interface LoginButtonProps extends SharedProps {
  /** Text of the button when nobody is signed in (default "Sign in with Hugging Face"). */
  value?: string;
  /** Text of the sign-out button; `{}` stands for the username (default "Sign out ({})"). */
  logoutValue?: string;
}

/** The "Sign in with Hugging Face" button: part of the page, not an input or output of `fn`. */
export type LoginButton = Component<"loginbutton", LoginButtonProps, never, never, string> &
  Listeners<"click">;

/**
 * A "Sign in with Hugging Face" button for a Space with `hf_oauth: true` in its README; `fn`
 * then gets the visitor as `ctx.user` and their access token as `ctx.oauthToken`. Place it with
 * `Interface({ loginButton: LoginButton() })`.
 * @example
 * Interface({
 *   fn: (text, ctx) => `Hello ${ctx.user?.username ?? "stranger"}: ${text}`,
 *   inputs: [Textbox()],
 *   outputs: [Textbox()],
 *   loginButton: LoginButton({ logoutValue: "Sign out @{}" }),
 * })
 */
export function LoginButton(props: LoginButtonProps = {}): LoginButton {
  return defineComponent("loginbutton", props, {
    events: ["click"],
    displayName: "LoginButton",
    api: { pythonType: "str" },
    defaults: { value: "Sign in with Hugging Face", logoutValue: "Sign out ({})" } satisfies LoginButtonProps,
    schema: () => v.string("must be the button's text"),
  });
}
