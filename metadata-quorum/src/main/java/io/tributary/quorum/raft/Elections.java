package io.tributary.quorum.raft;

import io.tributary.quorum.raft.RaftMessage.VoteRequest;
import io.tributary.quorum.raft.RaftMessage.VoteResponse;
import io.tributary.quorum.raft.RaftRole.Candidate;
import io.tributary.quorum.raft.RaftRole.Follower;
import io.tributary.quorum.raft.RaftRole.Leader;
import io.tributary.quorum.raft.RaftRole.Prospective;
import io.tributary.quorum.raft.RaftRole.Unattached;
import java.util.Set;

/**
 * Pre-vote and vote handling for {@link RaftCore}: which requests are granted, the
 * Prospective → Candidate → Leader path, and leaders announcing (BeginQuorumEpoch) or ending
 * (EndQuorumEpoch) their epoch. Part of the core (same thread, no I/O).
 */
final class Elections {

    private final RaftCore core;

    Elections(RaftCore core) {
        this.core = core;
    }

    /** A leader announced itself in the current epoch: follow it. */
    void onBeginQuorumEpoch(RaftMessage.BeginQuorumEpoch begin) {
        if (begin.epoch() == core.election().epoch()) {
            core.learnLeader(begin.from());
        }
    }

    /**
     * The leader of this epoch is stopping: stop following it and stand for election after a short
     * randomized backoff (a fraction of the election timeout, so the voters do not all start at
     * once). Pre-votes then succeed, as no voter is following a live leader any more.
     */
    void onEndQuorumEpoch(RaftMessage.EndQuorumEpoch end) {
        if (end.epoch() == core.election().epoch() && core.role() instanceof Follower follower
                && follower.leaderId == end.from()) {
            core.setRole(new Unattached(core.nowMs()
                    + (long) (core.random().nextDouble() * core.config().electionTimeoutMs() / 4)));
        }
    }

    /** Starts a pre-vote round for the next epoch (Raft thesis §9.6); nothing durable changes yet. */
    void becomeProspective() {
        int self = core.config().nodeId();
        Prospective prospective = new Prospective(self, core.nowMs() + core.randomElectionTimeoutMs());
        core.setRole(prospective);
        ElectionState election = core.election();
        OffsetAndEpoch last = core.log().endOffsetAndEpoch();
        for (int voter : core.config().voters()) {
            if (voter != self) {
                core.send(new VoteRequest(self, voter, election.epoch() + 1, true, last));
            }
        }
        if (election.hasLeader() && election.leaderId() != self) {
            // Keep asking the last known leader: if it is alive, this node simply follows it again.
            core.send(new RaftMessage.FetchRequest(self, election.leaderId(), election.epoch(), -1,
                    core.log().endOffset(), lastEpochBefore(core.log().endOffset()), 0));
        }
        maybeWin(prospective.granted, () -> becomeCandidate());
    }

    private void becomeCandidate() {
        int self = core.config().nodeId();
        int epoch = core.election().epoch() + 1;
        core.setElection(new ElectionState(epoch, self, ElectionState.NONE));
        core.countElection();
        Candidate candidate = new Candidate(self, core.nowMs() + core.randomElectionTimeoutMs());
        core.setRole(candidate);
        OffsetAndEpoch last = core.log().endOffsetAndEpoch();
        for (int voter : core.config().voters()) {
            if (voter != self) {
                core.send(new VoteRequest(self, voter, epoch, false, last));
            }
        }
        maybeWin(candidate.granted, core::becomeLeader);
    }

    private void maybeWin(Set<Integer> granted, Runnable win) {
        if (granted.size() >= core.config().majority()) {
            win.run();
        }
    }

    void onVoteRequest(VoteRequest request) {
        boolean granted = request.preVote() ? grantsPreVote(request) : grantsVote(request);
        core.send(new VoteResponse(core.config().nodeId(), request.from(), core.election().epoch(), request.preVote(),
                granted));
    }

    /**
     * A pre-vote is granted to a voter proposing a newer epoch with a log at least as up to date,
     * unless this node still hears from a leader (that refusal is what keeps a node that was cut off
     * from disturbing a healthy quorum), or is catching up after a disk loss.
     */
    private boolean grantsPreVote(VoteRequest request) {
        if (!core.isActiveVoter() || request.epoch() <= core.election().epoch()) {
            return false;
        }
        RaftRole role = core.role();
        if (role instanceof Leader) {
            return false;
        }
        if (role instanceof Follower follower
                && core.nowMs() - follower.lastFetchSuccessMs < core.config().electionTimeoutMs()) {
            return false;
        }
        return request.lastEntry().isAtLeastAsUpToDateAs(core.log().endOffsetAndEpoch());
    }

    /**
     * A vote is granted at most once per epoch (the vote is persisted before the response leaves),
     * never while a leader of the epoch is known, and only to a log at least as up to date (§5.4.1).
     * A voter catching up after a disk loss grants none (see {@link ElectionState}).
     */
    private boolean grantsVote(VoteRequest request) {
        ElectionState election = core.election();
        if (!core.isActiveVoter() || request.epoch() < election.epoch() || election.hasLeader()) {
            return false;
        }
        if (election.votedFor() == request.from()) {
            return true;
        }
        if (election.hasVoted() || !request.lastEntry().isAtLeastAsUpToDateAs(core.log().endOffsetAndEpoch())) {
            return false;
        }
        core.setElection(new ElectionState(election.epoch(), request.from(), ElectionState.NONE));
        core.setRole(new Unattached(core.nowMs() + core.randomElectionTimeoutMs()));
        return true;
    }

    void onVoteResponse(VoteResponse response) {
        if (!core.config().voters().contains(response.from())) {
            return; // only voters' answers count towards a majority
        }
        RaftRole role = core.role();
        if (response.preVote() && role instanceof Prospective prospective) {
            (response.granted() ? prospective.granted : prospective.rejected).add(response.from());
            maybeWin(prospective.granted, this::becomeCandidate);
        } else if (!response.preVote() && role instanceof Candidate candidate
                && response.epoch() == core.election().epoch()) {
            (response.granted() ? candidate.granted : candidate.rejected).add(response.from());
            maybeWin(candidate.granted, core::becomeLeader);
        }
    }

    private int lastEpochBefore(long offset) {
        return offset == 0 ? 0 : core.log().epochAt(offset - 1);
    }
}
