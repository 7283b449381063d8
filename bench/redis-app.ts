// The Space `npm run bench:redis` serves: `/busy` keeps a core busy for a fixed amount of work
// (CPU-bound, one run at a time per process, as the default concurrencyLimit says) and `/echo`
// returns its text (for the latency Redis adds to a job).
import * as sc from "spacecraft";

/** A fixed amount of CPU work: `rounds` steps of a linear congruential generator. */
export function spin(rounds: number): number {
  let x = 1;
  for (let i = 0; i < rounds; i++) x = (Math.imul(x, 1_103_515_245) + 12_345) | 0;
  return x;
}

export default sc.Blocks({ title: "Redis bench" }, () => {
  const rounds = sc.Number({ label: "Rounds", value: 1_000_000 });
  const result = sc.Number({ label: "Result" });
  const busy = sc.Button({ value: "Busy" });
  busy.click({ fn: spin, inputs: [rounds], outputs: [result], apiName: "busy" });
  const text = sc.Textbox({ label: "Text" });
  const echoed = sc.Textbox({ label: "Echoed" });
  const echo = sc.Button({ value: "Echo" });
  echo.click({ fn: (said: string) => said, inputs: [text], outputs: [echoed], apiName: "echo" });
  return sc.Column(rounds, busy, result, text, echo, echoed);
});
