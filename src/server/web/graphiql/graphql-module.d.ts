/** scripts/build-web.mjs bundles .graphql files as text (esbuild's `text` loader). */
declare module '*.graphql' {
  const source: string;
  export default source;
}
