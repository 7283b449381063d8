// `npm run manifest -w @spacecraft/components`: custom-elements.json from the elements' JSDoc.
export default {
  globs: ["src/**/*.ts"],
  exclude: ["src/**/*.styles.ts", "src/**/*.test.ts"],
  outdir: ".",
  litelement: true,
};
