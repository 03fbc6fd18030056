/**
 * What ssh, scp and sshd send each other over the simulated network: the identification lines,
 * then packets framed as SSH's binary packets are (a 4-byte length, the message number, the
 * payload), in the order OpenSSH exchanges them, so a connection costs the round trips a real
 * one does: the banners, the key exchange, the service request, the `none`, publickey query
 * and publickey authentication attempts, the session channel's opening and its request. The
 * contents are not encrypted (nothing here could read them anyway) and carry only what the
 * simulation needs: a command, a terminal's size, the bytes of the streams, an exit status.
 *
 * The one message OpenSSH does not have is `read@halab` (a private channel request, as SSH
 * allows `name@domain` ones): the simulated terminals are line-based, so a remote terminal
 * tells the client when its reader wants a line and how (the prompt, a password's masking, a
 * line editor's raw mode), and the client reads that line from its own terminal.
 */

export const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n';

/** Message numbers (RFC 4250). */
/** SFTP's message numbers (draft-ietf-secsh-filexfer-02, what OpenSSH speaks) that scp uses. */
export const FXP = { OPEN: 3, CLOSE: 4, READ: 5, WRITE: 6, SETSTAT: 9, READDIR: 12, MKDIR: 14, STAT: 17, STATUS: 101, DATA: 103, NAME: 104, ATTRS: 105 } as const;

export const MSG = {
  DISCONNECT: 1, SERVICE_REQUEST: 5, SERVICE_ACCEPT: 6, KEXINIT: 20, NEWKEYS: 21, KEX_ECDH_INIT: 30, KEX_ECDH_REPLY: 31,
  USERAUTH_REQUEST: 50, USERAUTH_FAILURE: 51, USERAUTH_SUCCESS: 52, USERAUTH_PK_OK: 60,
  CHANNEL_OPEN: 90, CHANNEL_OPEN_CONFIRMATION: 91, CHANNEL_WINDOW_ADJUST: 93, CHANNEL_DATA: 94, CHANNEL_EXTENDED_DATA: 95,
  CHANNEL_EOF: 96, CHANNEL_CLOSE: 97, CHANNEL_REQUEST: 98, CHANNEL_SUCCESS: 99, CHANNEL_FAILURE: 100,
} as const;

/**
 * OpenSSH 9.2's KEXINIT offer (its default algorithm lists): the size of the first packets is
 * what a real key exchange sends.
 */
export const KEXINIT_PAYLOAD = [
  'sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,ext-info-c',
  'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,sk-ssh-ed25519@openssh.com,rsa-sha2-512,rsa-sha2-256',
  'chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com',
  'umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com',
  'none,zlib@openssh.com',
].join('\n');

/** A packet: length, message number, payload (byte strings). */
export function packet(type: number, payload = ''): string {
  const n = payload.length + 1;
  return String.fromCharCode((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, type) + payload;
}

/** Fields of a payload, NUL-separated (the simulation's own encoding of SSH's strings). */
export function fields(...parts: (string | number)[]): string { return parts.map(String).join('\0'); }
export function splitFields(payload: string): string[] { return payload.split('\0'); }

/**
 * Reassembles what a connection delivers: first the peer's identification line, then packets,
 * however the network cut the bytes.
 */
export class PacketReader {
  private buf = '';
  private bannerSeen = false;

  /** `onBanner` null: no identification line comes first (SFTP's packets inside a channel). */
  constructor(private readonly onBanner: ((line: string) => void) | null, private readonly onPacket: (type: number, payload: string) => void) {
    this.bannerSeen = onBanner === null;
  }

  push(text: string): void {
    this.buf += text;
    if (!this.bannerSeen) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) return;
      const line = this.buf.slice(0, nl + 1);
      this.buf = this.buf.slice(nl + 1);
      this.bannerSeen = true;
      this.onBanner?.(line);
    }
    while (this.buf.length >= 5) {
      const n = ((this.buf.charCodeAt(0) << 24) >>> 0) + (this.buf.charCodeAt(1) << 16) + (this.buf.charCodeAt(2) << 8) + this.buf.charCodeAt(3);
      if (this.buf.length < 4 + n) return;
      const type = this.buf.charCodeAt(4);
      const payload = this.buf.slice(5, 4 + n);
      this.buf = this.buf.slice(4 + n);
      this.onPacket(type, payload);
    }
  }
}
