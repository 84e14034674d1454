// Saving a Blob as a file: an object URL clicked through a temporary <a download>. Nothing leaves the computer.
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function saveText(text: string, name: string, type = 'text/plain;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), name);
}
