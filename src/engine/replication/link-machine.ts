/**
 * The replica's link to its master as a statechart: the states of Redis's `repl_state`
 * (server.h) and the transitions syncWithMaster(), readSyncBulkPayload() and
 * replicationCron() make between them (replication.c).
 *
 *   none ──SET_MASTER──▶ connecting ──connected──▶ receive_ping_reply ──+PONG/-NOAUTH──▶
 *   send_handshake (pipelines AUTH, REPLCONF listening-port, [ip-address], capa) ──▶
 *   receive_auth_reply ─▶ receive_port_reply ─▶ receive_ip_reply ─▶ receive_capa_reply ─▶
 *   send_psync ─▶ receive_psync_reply ──+FULLRESYNC / -ERR (SYNC)──▶ transfer ─▶ loading ─▶
 *   connected;  receive_psync_reply ──+CONTINUE──▶ connected.
 *
 * Any error goes back to `connect`, from where replicationCron (the CRON event, once a
 * second) starts a new attempt; errors in the transfer, a timeout, or losing an established
 * link reconnect at once, like cancelReplicationHandshake(1) and
 * replicationHandleMasterDisconnection(). Timeouts (`repl-timeout`) are events from an Os
 * timer the waiting states arm on entry (src/engine/state-timeout.ts): when REPL_TIMEOUT or
 * MASTER_TIMEOUT arrives, the guard compares the last I/O with `repl-timeout` as Redis's cron
 * does (`now - lastio > repl-timeout`); if the link is not timed out yet the state is
 * re-entered, which arms the timer again for the time left.
 *
 * This file is only the definition (what the UI draws); the actions and guards are provided
 * by replica.ts, which does the I/O through the Os. Transient states (send_handshake,
 * send_psync) pass on immediately, as they do inside one call of syncWithMaster().
 */
import { setup } from 'xstate';

export type LinkEvent =
  | { type: 'SET_MASTER' }
  | { type: 'CONFIGURED' }
  | { type: 'UNSET_MASTER' }
  | { type: 'CRON' }
  | { type: 'SOCKET_CONNECTED' }
  | { type: 'SOCKET_ERROR'; error: string }
  | { type: 'SOCKET_CLOSED'; error: string }
  | { type: 'REPLY'; line: string }
  | { type: 'PAYLOAD_COMPLETE' }
  | { type: 'TRANSFER_FAILED' }
  | { type: 'LOADED' }
  | { type: 'LOAD_FAILED' }
  | { type: 'MASTER_LOST' }
  | { type: 'REPL_TIMEOUT' }
  | { type: 'MASTER_TIMEOUT' };

/** Redis's names for the states, in server.h order (ROLE and INFO derive from them). */
export const LINK_STATES = [
  'none', 'connect', 'connecting', 'receive_ping_reply', 'send_handshake', 'receive_auth_reply',
  'receive_port_reply', 'receive_ip_reply', 'receive_capa_reply', 'send_psync', 'receive_psync_reply',
  'transfer', 'loading', 'connected',
] as const;
export type LinkStateName = typeof LINK_STATES[number];

/** slaveIsInHandshakeState(). */
export function isHandshakeState(s: string): boolean {
  const i = LINK_STATES.indexOf(s as LinkStateName);
  return i >= LINK_STATES.indexOf('receive_ping_reply') && i <= LINK_STATES.indexOf('receive_psync_reply');
}

const noop = () => undefined;
const never = () => false;

/** Leaving for `connect` after an error in the handshake (syncWithMaster's `error:` label). */
const toConnect = (actions: string[]): any => ({ target: '#replica-link.connect', actions: [...actions, 'closeTransferSocket'] });
/** An error that reconnects right away (cancelReplicationHandshake(1)). */
const reconnect = (actions: string[]): any => ({ target: '#replica-link.connecting', reenter: true, actions: [...actions, 'closeTransferSocket', 'logReconnectAfterFailure', 'connectToMaster'] });

/**
 * A state that times out after `repl-timeout` without I/O: it arms the timeout on entry (the
 * time left since the last I/O), and when the timeout arrives either gives up (the first
 * transition whose guard holds) or re-enters itself, which arms it again.
 */
function replTimed(name: LinkStateName, state: { on: object }, onTimeout: object): any {
  return {
    ...state,
    entry: ['armReplTimeout'],
    exit: ['disarmTimeout'],
    on: { ...state.on, REPL_TIMEOUT: [onTimeout, { target: `#replica-link.${name}`, reenter: true }] },
  };
}

/** A handshake state that waits for one reply line. */
function awaitReply(name: LinkStateName, onReply: object[]): any {
  return replTimed(name, {
    on: {
      REPLY: onReply,
      SOCKET_CLOSED: toConnect(['logReadFailure', 'logNoResponse']),
    },
  }, { guard: 'linkTimedOut', ...reconnect(['logTimeoutConnecting']) });
}

export const replicaLinkMachine = setup({
  types: { events: {} as LinkEvent },
  actions: {
    // I/O steps (replica.ts provides them).
    connectToMaster: noop,
    closeTransferSocket: noop,
    flushDeferredLog: noop,
    sendPing: noop,
    sendHandshake: noop,
    sendPsync: noop,
    sendSync: noop,
    prepareTransfer: noop,
    startLoading: noop,
    onFullResync: noop,
    onContinue: noop,
    finishSync: noop,
    // Log lines, exactly as Redis writes them.
    logConnecting: noop,
    logConnectFired: noop,
    logSocketError: noop,
    logPingReplyError: noop,
    logPingReplyOk: noop,
    logAuthError: noop,
    logNonCriticalPort: noop,
    logNonCriticalIp: noop,
    logNonCriticalCapa: noop,
    logTryLater: noop,
    logNotSupported: noop,
    logNotSupportedInFailover: noop,
    logReadFailure: noop,
    logNoResponse: noop,
    logNoPsyncReply: noop,
    logTimeoutConnecting: noop,
    logTimeoutTransfer: noop,
    logTransferIoError: noop,
    logReconnectAfterFailure: noop,
    logReconnecting: noop,
    logMasterTimeout: noop,
    dropMasterClient: noop,
    touchLastIo: noop,
    // The state's timeout (an Os timer that sends REPL_TIMEOUT or MASTER_TIMEOUT).
    armReplTimeout: noop,
    armMasterTimeout: noop,
    disarmTimeout: noop,
  },
  guards: {
    pingReplyAccepted: never,
    replyIsError: never,
    hasMasterAuth: never,
    hasAnnounceIp: never,
    replyIsEmpty: never,
    replyIsFullResync: never,
    replyIsContinue: never,
    replyIsTryLater: never,
    failingOver: never,
    linkTimedOut: never,
    transferTimedOut: never,
    masterTimedOut: never,
  },
}).createMachine({
  id: 'replica-link',
  initial: 'none',
  on: {
    SET_MASTER: { target: '.connecting', reenter: true, actions: ['closeTransferSocket', 'logConnecting', 'connectToMaster'] },
    UNSET_MASTER: { target: '.none', actions: ['closeTransferSocket', 'flushDeferredLog'] },
  },
  states: {
    none: {
      // `replicaof` in redis.conf: the first replicationCron tick connects.
      on: { CONFIGURED: 'connect' },
    },
    connect: {
      on: { CRON: { target: 'connecting', actions: ['logConnecting', 'connectToMaster'] } },
    },
    connecting: replTimed('connecting', {
      on: {
        SOCKET_CONNECTED: { target: 'receive_ping_reply', actions: ['logConnectFired', 'sendPing'] },
        SOCKET_ERROR: toConnect(['logSocketError']),
        SOCKET_CLOSED: toConnect(['logSocketError']),
      },
    }, { guard: 'linkTimedOut', ...reconnect(['logTimeoutConnecting']) }),
    receive_ping_reply: awaitReply('receive_ping_reply', [
      { guard: 'pingReplyAccepted', target: 'send_handshake', actions: ['logPingReplyOk'] },
      toConnect(['logPingReplyError']),
    ]),
    send_handshake: {
      entry: ['sendHandshake'],
      always: [
        { guard: 'hasMasterAuth', target: 'receive_auth_reply' },
        { target: 'receive_port_reply' },
      ],
    },
    receive_auth_reply: awaitReply('receive_auth_reply', [
      { guard: 'replyIsError', ...toConnect(['logAuthError']) },
      { target: 'receive_port_reply' },
    ]),
    receive_port_reply: awaitReply('receive_port_reply', [
      { guard: 'hasAnnounceIp', target: 'receive_ip_reply', actions: ['logNonCriticalPort'] },
      { target: 'receive_capa_reply', actions: ['logNonCriticalPort'] },
    ]),
    receive_ip_reply: awaitReply('receive_ip_reply', [
      { target: 'receive_capa_reply', actions: ['logNonCriticalIp'] },
    ]),
    receive_capa_reply: awaitReply('receive_capa_reply', [
      { target: 'send_psync', actions: ['logNonCriticalCapa'] },
    ]),
    send_psync: {
      entry: ['sendPsync'],
      always: { target: 'receive_psync_reply' },
    },
    receive_psync_reply: replTimed('receive_psync_reply', {
      on: {
        REPLY: [
          // Newlines are keepalives the master sends before it replies.
          { guard: 'replyIsEmpty', actions: ['touchLastIo'] },
          { guard: 'replyIsFullResync', target: 'transfer', actions: ['onFullResync', 'prepareTransfer'] },
          { guard: 'replyIsContinue', target: 'connected', actions: ['onContinue'] },
          { guard: 'replyIsTryLater', ...toConnect(['logTryLater']) },
          // PSYNC FAILOVER refused: the failover is aborted, no SYNC follows (syncWithMaster).
          { guard: 'failingOver', ...toConnect(['logNotSupportedInFailover']) },
          { target: 'transfer', actions: ['logNotSupported', 'sendSync', 'prepareTransfer'] },
        ],
        SOCKET_CLOSED: toConnect(['logReadFailure', 'logNoPsyncReply']),
      },
    }, { guard: 'linkTimedOut', ...reconnect(['logTimeoutConnecting']) }),
    transfer: replTimed('transfer', {
      on: {
        PAYLOAD_COMPLETE: { target: 'loading' },
        TRANSFER_FAILED: reconnect([]),
        SOCKET_CLOSED: reconnect(['logTransferIoError']),
      },
    }, { guard: 'transferTimedOut', ...reconnect(['logTimeoutTransfer']) }),
    loading: {
      entry: ['startLoading'],
      on: {
        LOADED: { target: 'connected', actions: ['finishSync'] },
        LOAD_FAILED: reconnect([]),
      },
    },
    connected: {
      // Until `now - last data from the master > repl-timeout`.
      entry: ['armMasterTimeout'],
      exit: ['disarmTimeout'],
      on: {
        MASTER_LOST: { target: 'connecting', actions: ['logReconnecting', 'connectToMaster'] },
        MASTER_TIMEOUT: [
          { guard: 'masterTimedOut', actions: ['logMasterTimeout', 'dropMasterClient'] },
          { target: 'connected', reenter: true },
        ],
      },
    },
  },
});

export type ReplicaLinkMachine = typeof replicaLinkMachine;
