import { hostname } from "node:os";
import * as sc from "spacecraft";

/** How many primes are below `n` (a sieve): plain CPU work that keeps one core busy for a while. */
function countPrimes(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

export default sc.Interface({
  title: "Primes, scaled out",
  description:
    "Counts the primes below n. Web replicas queue each request in Redis; whichever worker is free runs it, and the answer says which.",
  fn: (n) => [countPrimes(n), `${hostname()} (pid ${process.pid})`],
  inputs: [sc.Slider({ label: "n", minimum: 2, maximum: 20_000_000, step: 1, value: 5_000_000 })],
  outputs: [sc.Number({ label: "Primes below n" }), sc.Textbox({ label: "Ran on" })],
  examples: [[1_000_000], [10_000_000]],
});
