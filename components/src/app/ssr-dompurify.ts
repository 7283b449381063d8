// The server rendering's stand-in for DOMPurify (`vite.ssr.config.ts` points `dompurify` here),
// which only the browser runs: the server draws an HTML component's value with its own sanitiser
// (`ssr.ts`), and `spacecraft`, which loads the server rendering, does not depend on DOMPurify.
export default {
  sanitize(): never {
    throw new Error("DOMPurify runs in the browser only; the server sanitises with sanitize-html.");
  },
};
