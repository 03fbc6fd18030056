/**
 * Leader election for a failover (sentinel.c's sentinelVoteLeader and sentinelGetLeader).
 *
 * Voting: a request in a newer epoch first moves our current epoch forward (+new-epoch). We
 * then vote for the requester if we have not voted in this epoch or a later one yet
 * (+vote-for-leader <runid> <epoch>), and the vote is persisted. Voting for another sentinel
 * pushes our own failover start time to now (+ up to 1 s), so we do not compete right away.
 * Whatever happened, the answer is our vote for that master (possibly an older one).
 *
 * Counting: the votes the other sentinels reported for the current epoch, plus ours (cast now,
 * if not yet, for the most voted sentinel or else for ourselves). The winner needs an absolute
 * majority of all the sentinels we know (voters = known + 1, whether they are up or not) AND at
 * least the master's quorum.
 */
import type { Instance, SentinelState } from './state';
import { flushConfig } from './config-file';
import { sentinelEvent } from './events';

/** sentinelVoteLeader(): returns our vote (run ID and its epoch), or null. */
export function voteLeader(st: SentinelState, master: Instance, reqEpoch: number, reqRunid: string): { leader: string | null; epoch: number } {
  if (reqEpoch > st.currentEpoch) {
    st.currentEpoch = reqEpoch;
    flushConfig(st);
    sentinelEvent(st, 'warning', '+new-epoch', master, `${st.currentEpoch}`, false);
  }
  if (master.leaderEpoch < reqEpoch && st.currentEpoch <= reqEpoch) {
    master.leader = reqRunid;
    master.leaderEpoch = st.currentEpoch;
    flushConfig(st);
    sentinelEvent(st, 'warning', '+vote-for-leader', master, `${master.leader} ${master.leaderEpoch}`, false);
    if (master.leader.toLowerCase() !== st.myid.toLowerCase()) {
      master.failoverStartTime = st.now() + st.rand(1000);
    }
  }
  return { leader: master.leader, epoch: master.leaderEpoch };
}

/** sentinelGetLeader(): the leader for `epoch`, or null when nobody has enough votes yet. */
export function getLeader(st: SentinelState, master: Instance, epoch: number): string | null {
  const voters = master.sentinels.size + 1;
  const counters = new Map<string, number>();
  for (const ri of master.sentinels.values()) {
    if (ri.leader !== null && ri.leaderEpoch === st.currentEpoch) counters.set(ri.leader, (counters.get(ri.leader) ?? 0) + 1);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  for (const [runid, votes] of counters) {
    if (votes > maxVotes) { maxVotes = votes; winner = runid; }
  }
  const mine = voteLeader(st, master, epoch, winner ?? st.myid);
  if (mine.leader !== null && mine.epoch === epoch) {
    const votes = (counters.get(mine.leader) ?? 0) + 1;
    counters.set(mine.leader, votes);
    if (votes > maxVotes) { maxVotes = votes; winner = mine.leader; }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
  return winner;
}
