/** Saves what `url` points at as a file named `fileName` (a blob: URL is released once the download has started). */
export function saveUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers start the download after this task; give them the URL until then.
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 0);
}
