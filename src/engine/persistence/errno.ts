/**
 * strerror() texts for the POSIX codes the Os reports, as glibc words them (Redis puts them
 * in log lines and in "-MISCONF Errors writing to the AOF file: <text>").
 */
const MESSAGES: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENOTEMPTY: 'Directory not empty',
  EXDEV: 'Invalid cross-device link',
  ENOMEM: 'Cannot allocate memory',
  EAGAIN: 'Resource temporarily unavailable',
  EADDRINUSE: 'Address already in use',
  ENAMETOOLONG: 'File name too long',
};

/** strerror(code), or the error's own message for codes we do not know. */
export function strerror(e: unknown): string {
  const code = (e as { code?: string })?.code;
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (code === undefined || code === '') return 'Success';
  return (e as Error)?.message ?? code;
}

/** The code of an Os error ("EIO" when it has none). */
export function errCode(e: unknown): string {
  return (e as { code?: string })?.code ?? 'EIO';
}
