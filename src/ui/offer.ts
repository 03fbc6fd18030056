/** Handing something to the learner: a file to save, a link on the clipboard. */
import type { Localized } from './i18n.svelte';

/** Offer `data` as a file download named `name`. */
export function offerDownload(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Put `text` on the clipboard; the message to show (the page also shows the text itself). */
export async function copyLinkMessage(text: string): Promise<Localized> {
  try {
    await navigator.clipboard.writeText(text);
    return { en: 'Link copied.', zh: '链接已复制。' };
  } catch {
    // No clipboard permission (or an insecure page): the link is shown for copying by hand.
    return { en: 'Copy the link below.', zh: '请复制下面的链接。' };
  }
}
