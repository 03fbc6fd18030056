// comlink ships its Node adapter as dist/esm/node-adapter.mjs with a .d.ts beside it that
// TypeScript does not pair with the .mjs file; declare the module with the same signature.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
