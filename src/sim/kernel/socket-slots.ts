/**
 * Which of a process's file descriptors its sockets hold, as far as the network knows: Linux
 * gives a new descriptor the lowest number free, so a socket takes the lowest slot its process
 * has free (slot 0 is the first socket), and a closed socket's slot is taken by the next one.
 * `ss -p` adds the descriptors a program opens before its first socket (see ss.ts); files are
 * not counted, so an AOF a server opens between two sockets does not move them.
 */
export class SocketSlots {
  private readonly used = new Map<number, Set<number>>();

  take(pid: number): number {
    let set = this.used.get(pid);
    if (!set) this.used.set(pid, (set = new Set()));
    let slot = 0;
    while (set.has(slot)) slot++;
    set.add(slot);
    return slot;
  }

  release(pid: number, slot: number): void {
    const set = this.used.get(pid);
    if (!set) return;
    set.delete(slot);
    if (set.size === 0) this.used.delete(pid);
  }

  /** The process is gone: whatever it held is free. */
  forget(pid: number): void {
    this.used.delete(pid);
  }
}
