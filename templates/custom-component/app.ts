import * as sc from "spacecraft";
import { StarRating } from "./components/star-rating.js";

export default sc.Interface({
  title: "Rate it",
  description:
    "Give a rating with your own component: `components/star-rating.ts` (click a star, or use the arrow keys).",
  fn: (review, stars) => [
    `${"★".repeat(stars)}${"☆".repeat(5 - stars)} ${review || "(no review)"}`,
    // What the page shows back: the rating, one star kinder.
    Math.min(5, stars + 1),
  ],
  inputs: [
    sc.Textbox({ label: "Review", placeholder: "What did you think?" }),
    StarRating({ label: "Your rating", value: 3 }),
  ],
  outputs: [sc.Textbox({ label: "Summary" }), StarRating({ label: "One star kinder" })],
  examples: [
    ["Loved it", 5],
    ["Not for me", 1],
  ],
  article: "Edit `components/star-rating.ts`: `spacecraft dev` rebuilds it and reloads the page.",
});
