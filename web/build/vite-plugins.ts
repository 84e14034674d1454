// Build helpers for the web app (used by vite.config.ts; Node only).
//
//   bytesPlugin        `import x from './file.bin?bytes'` → a Uint8Array of the file, embedded in the bundle.
//                      Every binary the page needs (kernels, sql.js wasm, the demo case) is embedded this way, so
//                      the page never fetches anything: the Content-Security-Policy can say connect-src 'none'.
//   inlineWorkers      single-file build: every `?worker` import becomes `?worker&inline` (a classic IIFE worker
//                      started from a blob URL; module workers from blob URLs do not start on file://).
//   cspPlugin          adds the Content-Security-Policy <meta> to index.html (no network connections at all).
//   singleFilePlugin   single-file build: inlines the entry script and stylesheet into the HTML, hashes them into
//                      the CSP, and names the page palimpsest.html.

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

const BYTES = '?bytes';

export function bytesPlugin(): Plugin {
  return {
    name: 'palimpsest:bytes',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(BYTES)) return null;
      const r = await this.resolve(source.slice(0, -BYTES.length), importer, { skipSelf: true });
      return r ? r.id + BYTES : null;
    },
    load(id) {
      if (!id.endsWith(BYTES)) return null;
      const file = id.slice(0, -BYTES.length);
      this.addWatchFile(file);
      const b64 = readFileSync(file).toString('base64');
      return (
        `const s = atob(${JSON.stringify(b64)});\n` +
        'const b = new Uint8Array(s.length);\n' +
        'for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);\n' +
        'export default b;\n'
      );
    },
  };
}

export function inlineWorkers(): Plugin {
  return {
    name: 'palimpsest:inline-workers',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!/\?worker$/.test(source)) return null;
      const r = await this.resolve(source + '&inline', importer, { skipSelf: true });
      return r ?? null;
    },
  };
}

/** The policy: scripts only from the page itself (or the hashes of its inline scripts), no connections. */
export function cspContent(scriptSrc: string[], styleSrc: string[]): string {
  return [
    "default-src 'none'",
    `script-src ${[...scriptSrc, "'wasm-unsafe-eval'"].join(' ')}`,
    "worker-src 'self' blob:",
    `style-src ${styleSrc.join(' ')}`,
    "img-src 'self' data: blob:",
    "connect-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const CSP_MARK = '<!--csp-->';

export function cspPlugin(): Plugin {
  return {
    name: 'palimpsest:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        return html.replace(CSP_MARK, `<meta http-equiv="Content-Security-Policy" content="${cspContent(["'self'"], ["'self'"])}">`);
      },
    },
  };
}

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export function singleFilePlugin(fileName = 'palimpsest.html'): Plugin {
  return {
    name: 'palimpsest:single-file',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      // After Vite's own generateBundle work (preload markers, import analysis) is done.
      order: 'post',
      handler(_opts, bundle) {
      const htmlKey = Object.keys(bundle).find((k) => k.endsWith('.html'));
      if (!htmlKey) return;
      const htmlAsset = bundle[htmlKey] as { source: string | Uint8Array };
      let html = String(htmlAsset.source);
      const scripts: string[] = [];
      const styles: string[] = [];
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === 'chunk' && item.isEntry) {
          // Inline module script: no fetch, so it runs from file://. `</script` cannot occur unescaped.
          const code = item.code.replace(/<\/script/gi, '<\\/script');
          scripts.push(code);
          html = html.replace(new RegExp(`<script[^>]*src="[^"]*${escapeRe(name)}"[^>]*></script>`), () => `<script type="module">${code}</script>`);
          delete bundle[name];
        } else if (item.type === 'asset' && name.endsWith('.css')) {
          const css = String(item.source);
          styles.push(css);
          html = html.replace(new RegExp(`<link[^>]*href="[^"]*${escapeRe(name)}"[^>]*>`), () => `<style>${css}</style>`);
          delete bundle[name];
        }
      }
      const left = Object.keys(bundle).filter((k) => k !== htmlKey);
      if (left.length) this.error(`single-file build left files outside the page: ${left.join(', ')}`);
      html = html.replace(
        /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
        () => `<meta http-equiv="Content-Security-Policy" content="${cspContent(scripts.map(sha), styles.map(sha))}">`,
      );
      delete bundle[htmlKey];
      this.emitFile({ type: 'asset', fileName, source: html });
      },
    },
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
