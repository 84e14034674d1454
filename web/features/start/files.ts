// Turning what the user gives (dropped files and folders, a file picker, a folder picker) into files with their
// relative paths. Folders are walked with the File and Directory Entries API (webkitGetAsEntry).
//
// Rules:
//   F1 a dropped folder keeps its own name as the first path segment (mbox/journal/…), like a folder picker
//   F2 readEntries returns batches: it is called until it returns none
//   F3 walks are bounded: at most MAX_FILES files and MAX_DEPTH levels (a link loop cannot hang the page)
//   F4 entries must be taken from the DataTransfer during the drop event (they vanish after it); walking is async
//   F5 the result is sorted by path and has no duplicate paths

export const MAX_FILES = 100_000;
export const MAX_DEPTH = 64;

export interface PickedFile {
  file: File;
  path: string;
}

/** The subset of FileSystemEntry the walk uses (so tests can build trees). */
export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, err?: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, err?: (e: unknown) => void): void };
}

export async function walkEntries(roots: EntryLike[]): Promise<{ files: PickedFile[]; truncated: boolean; errors: string[] }> {
  const files: PickedFile[] = [];
  const errors: string[] = [];
  let truncated = false;
  const walk = async (e: EntryLike, prefix: string, depth: number): Promise<void> => {
    if (files.length >= MAX_FILES || depth > MAX_DEPTH) {
      truncated = true;
      return;
    }
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isFile && e.file) {
      try {
        const f = await new Promise<File>((ok, err) => e.file!(ok, err));
        files.push({ file: f, path });
      } catch (x) {
        errors.push(`${path}: ${(x as Error)?.message ?? String(x)}`);
      }
      return;
    }
    if (e.isDirectory && e.createReader) {
      const reader = e.createReader();
      // F2
      for (let batch = 0; batch < MAX_FILES; batch++) {
        let got: EntryLike[];
        try {
          got = await new Promise<EntryLike[]>((ok, err) => reader.readEntries(ok, err));
        } catch (x) {
          errors.push(`${path}: ${(x as Error)?.message ?? String(x)}`);
          return;
        }
        if (!got.length) break;
        for (const c of got) await walk(c, path, depth + 1);
        if (files.length >= MAX_FILES) {
          truncated = true;
          return;
        }
      }
    }
  };
  for (const r of roots) await walk(r, '', 0);
  return { files: dedupe(files), truncated, errors };
}

/** F4: call synchronously inside the drop handler; returns the walk (a promise). */
export function fromDataTransfer(dt: DataTransfer): Promise<{ files: PickedFile[]; truncated: boolean; errors: string[] }> {
  const roots: EntryLike[] = [];
  const loose: PickedFile[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => EntryLike | null }).webkitGetAsEntry?.();
    if (entry) roots.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push({ file: f, path: f.name });
    }
  }
  if (!roots.length && !loose.length) for (const f of Array.from(dt.files ?? [])) loose.push({ file: f, path: f.name });
  return walkEntries(roots).then((r) => ({ ...r, files: dedupe([...r.files, ...loose]) }));
}

/** A file input (`multiple`, or `webkitdirectory` for folders: webkitRelativePath keeps the folder, F1). */
export function fromFileList(list: FileList | File[]): PickedFile[] {
  return dedupe(Array.from(list, (f) => ({ file: f, path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name })));
}

function dedupe(files: PickedFile[]): PickedFile[] {
  // F5
  const seen = new Map<string, PickedFile>();
  for (const f of files) if (!seen.has(f.path)) seen.set(f.path, f);
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A short name for the case: the common top folder, else the first file (and how many more). */
export function caseName(files: PickedFile[]): string {
  if (!files.length) return '';
  const tops = new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '')));
  if (tops.size === 1 && !tops.has('')) return [...tops][0];
  return files.length === 1 ? files[0].path : `${files[0].path} +${files.length - 1}`;
}
