// Module shapes of the web build's special imports (see web/build/vite-plugins.ts).
declare module '*?bytes' {
  const bytes: Uint8Array;
  export default bytes;
}
declare module '*?worker' {
  const WorkerFactory: new (options?: { name?: string }) => Worker;
  export default WorkerFactory;
}
