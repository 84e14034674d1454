// Vite's import.meta.glob (web/bridge/demo.ts embeds the demo case with it).
import type { ImportGlobFunction } from 'vite/types/importGlob.d.ts';

declare global {
  interface ImportMeta {
    glob: ImportGlobFunction;
  }
}
