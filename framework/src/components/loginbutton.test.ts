import { describe, expect, it } from "vitest";
import * as sc from "../index.js";

const demo = {
  fn: (text: string) => text,
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Result" })],
} as const;

describe("LoginButton", () => {
  it("has Gradio's labels by default and takes its own", () => {
    expect(sc.LoginButton().type).toBe("loginbutton");
    expect(sc.LoginButton().props).toMatchObject({
      value: "Sign in with Hugging Face",
      logoutValue: "Sign out ({})",
    });
    expect(sc.LoginButton({ value: "Sign in", logoutValue: "Bye @{}" }).props).toMatchObject({
      value: "Sign in",
      logoutValue: "Bye @{}",
    });
    expect(() => sc.LoginButton({ logout_value: "x" } as never)).toThrow(
      /LoginButton: unknown prop "logout_value". Did you mean "logoutValue"\?/,
    );
  });

  it("is placed above the demo by Interface, and is neither input nor output", () => {
    const config = sc.Interface({ ...demo, loginButton: sc.LoginButton({ value: "Sign in" }) }).toConfig();
    const button = config.components.find((component) => component.type === "loginbutton");
    expect(button?.props).toMatchObject({ value: "Sign in", logoutValue: "Sign out ({})" });
    expect(config.layout.children?.[0]).toEqual({ id: button?.id });
    const typeOf = (id: number) => config.components.find((component) => component.id === id)?.type;
    expect(config.dependencies[0]?.inputs.map(typeOf)).toEqual(["textbox"]);
    expect(config.dependencies[0]?.outputs.map(typeOf)).toEqual(["textbox"]);
  });

  it("is not on the page without the option", () => {
    expect(
      sc
        .Interface(demo)
        .toConfig()
        .components.map((component) => component.type),
    ).not.toContain("loginbutton");
  });

  it("refuses to be an input, or something else as the button", () => {
    expect(() => sc.Interface({ ...demo, inputs: [sc.LoginButton()] as never, fn: () => "" })).toThrow(
      "Interface: inputs[0] is a LoginButton; place it with loginButton: LoginButton().",
    );
    expect(() => sc.Interface({ ...demo, loginButton: sc.Textbox() as never })).toThrow(
      "Interface: `loginButton` must be LoginButton().",
    );
    expect(() => sc.Interface({ ...demo, loginButton: true as never })).toThrow(
      "Interface: `loginButton` must be LoginButton().",
    );
    expect(() => sc.Interface({ ...demo, loginbutton: true } as never)).toThrow(
      'Interface: unknown option "loginbutton". Did you mean "loginButton"?',
    );
  });
});
