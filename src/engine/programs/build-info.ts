/**
 * Build identification printed by `redis-server --version` and INFO server. Real builds print
 * the git sha (00000000 for release tarballs), the allocator and a build id (a hash of the
 * build environment). Ours has no C allocator, so malloc=libc, and a fixed build id.
 */
export const REDIS_BUILD_ID = 'a1b2c3d4e5f6a7b8';
export const MALLOC_NAME = 'libc';
