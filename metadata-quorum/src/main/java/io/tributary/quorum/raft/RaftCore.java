package io.tributary.quorum.raft;

import io.tributary.quorum.raft.RaftMessage.BeginQuorumEpoch;
import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.RaftMessage.FetchResponse;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotRequest;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotResponse;
import io.tributary.quorum.raft.RaftMessage.VoteRequest;
import io.tributary.quorum.raft.RaftMessage.VoteResponse;
import io.tributary.quorum.raft.RaftRole.Candidate;
import io.tributary.quorum.raft.RaftRole.Follower;
import io.tributary.quorum.raft.RaftRole.Leader;
import io.tributary.quorum.raft.RaftRole.Prospective;
import io.tributary.quorum.raft.RaftRole.Resigned;
import io.tributary.quorum.raft.RaftRole.Unattached;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Raft for the metadata log as a pure state machine, KRaft-style: followers and observers pull
 * entries from the leader with long-polling fetches, elections use pre-vote, and a leader that loses
 * contact with a majority resigns (check-quorum).
 *
 * <p>Inputs are {@link #step} (a message), {@link #tick} (time passed), {@link #append} (a new entry
 * on the leader) and {@link #logFlushed}; the output is {@link #poll}'s {@link Ready}. The core
 * reads and writes the log through {@link RaftLog} but never touches a file, socket, thread or the
 * wall clock: time and randomness are given to it. Not thread-safe: one thread (the driver, or the
 * simulator) owns it.
 *
 * <p>Safety rests on the driver honouring {@link Ready}'s order: the election state (votes!) and
 * the log are durable before any message that depends on them is sent.
 *
 * <p><b>Snapshots.</b> The state machine (the driver's listener) decides when to snapshot — every so
 * many records or bytes applied, its business, not the core's — serializes its state as of an offset
 * it has applied and hands it to {@link #snapshotCreated}; the core stores it through {@link RaftLog}
 * and deletes the log prefix it covers. The leader serves its latest snapshot to replicas whose fetch
 * offset is below its log start (KRaft's FetchSnapshot); they install it in place of their log. The
 * state machine learns of every snapshot it must load through {@link Ready#snapshot()}: the one on
 * disk at start-up (the applied position starts at its end) and each one installed from the leader.
 */
public final class RaftCore {

    private final RaftConfig config;
    private final int self;
    private final RaftLog log;
    private final Random random;
    private final Elections elections;
    private final Replication replication;
    private final List<RaftMessage> outbox = new ArrayList<>();
    private ElectionState election;
    private boolean electionDirty;
    private boolean flushNeeded;
    private RaftRole role;
    private long highWatermark;
    private long appliedEnd;
    private long electionsStarted;
    private Snapshot snapshotToLoad;
    private long nowMs;

    /**
     * @param persisted the election state read back from disk ({@link ElectionState#initial()} for a new
     *                  node, {@link ElectionState#rejoining()} for a voter that lost its disk)
     */
    public RaftCore(RaftConfig config, RaftLog log, ElectionState persisted, Random random, long nowMs) {
        if (persisted.epoch() < log.lastEpoch()) {
            // The quorum-state file was lost or replaced: voting again in epochs it may have voted in is unsafe.
            throw new IllegalStateException("node " + config.nodeId() + " has log entries of epoch " + log.lastEpoch()
                    + " but its quorum-state says epoch " + persisted.epoch() + ": the quorum-state file is missing or "
                    + "stale; restore it, or wipe the metadata log directory to rejoin as a new member");
        }
        if (persisted.catchingUp() && config.isVoter() && config.voters().size() == 1) {
            throw new IllegalStateException("node " + config.nodeId() + " is the only voter and lost its disk: there "
                    + "is no quorum to catch up from, and the metadata is gone");
        }
        this.config = config;
        this.self = config.nodeId();
        this.log = log;
        this.random = random;
        this.election = persisted;
        this.nowMs = nowMs;
        this.elections = new Elections(this);
        this.replication = new Replication(this);
        loadSnapshotOnDisk();
        if (persisted.leaderId() == self) {
            // A leader that restarted does not lead its old epoch again: its in-memory state is gone.
            role = new Resigned(nowMs + randomElectionTimeoutMs());
        } else if (persisted.hasLeader()) {
            becomeFollower(persisted.epoch(), persisted.leaderId());
        } else {
            role = new Unattached(nowMs + randomElectionTimeoutMs());
        }
        if (config.voters().size() == 1 && config.isVoter()) {
            // Nobody else can lead, so there is no timeout to wait out (a combined single node starts at once).
            startElection();
        }
    }

    /** The snapshot on disk is the state to start from: committed, and the first thing to load. */
    private void loadSnapshotOnDisk() {
        Optional<OffsetAndEpoch> snapshot = log.latestSnapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        OffsetAndEpoch id = snapshot.get();
        long sizeBytes = log.snapshotSizeBytes(id);
        if (sizeBytes > SnapshotDownload.MAX_SIZE_BYTES) {
            throw new IllegalStateException("snapshot " + id + " of node " + self + " has " + sizeBytes
                    + " bytes, more than the " + SnapshotDownload.MAX_SIZE_BYTES + " a node can load");
        }
        snapshotToLoad = new Snapshot(id, log.readSnapshot(id, 0, (int) sizeBytes));
        highWatermark = id.offset();
        appliedEnd = id.offset();
    }

    /** Handles one message addressed to this node; messages for other nodes are ignored. */
    public void step(RaftMessage message, long nowMs) {
        this.nowMs = nowMs;
        if (message.to() != self) {
            return;
        }
        adoptHigherEpoch(message);
        switch (message) {
            case VoteRequest request -> elections.onVoteRequest(request);
            case VoteResponse response -> elections.onVoteResponse(response);
            case BeginQuorumEpoch begin -> elections.onBeginQuorumEpoch(begin);
            case RaftMessage.EndQuorumEpoch end -> elections.onEndQuorumEpoch(end);
            case FetchRequest request -> replication.onFetchRequest(request);
            case FetchResponse response -> replication.onFetchResponse(response);
            case FetchSnapshotRequest request -> replication.snapshots().onFetchSnapshotRequest(request);
            case FetchSnapshotResponse response -> replication.snapshots().onFetchSnapshotResponse(response);
        }
    }

    /** Lets time pass: elections, fetch timeouts, held fetches, check-quorum. */
    public void tick(long nowMs) {
        this.nowMs = nowMs;
        switch (role) {
            case Unattached unattached -> {
                if (nowMs >= unattached.electionDeadlineMs) {
                    if (isActiveVoter()) {
                        startElection();
                    } else {
                        unattached.electionDeadlineMs = nowMs + randomElectionTimeoutMs();
                        replication.sendDiscoveryFetch();
                    }
                }
            }
            case Prospective prospective -> {
                if (nowMs >= prospective.electionDeadlineMs) {
                    startElection();
                }
            }
            case Candidate candidate -> {
                if (nowMs >= candidate.electionDeadlineMs) {
                    startElection();
                }
            }
            case Follower follower -> replication.tickFollower(follower);
            case Leader leader -> replication.tickLeader(leader);
            case Resigned resigned -> {
                if (nowMs >= resigned.electionDeadlineMs && isActiveVoter()) {
                    startElection();
                }
            }
        }
    }

    /**
     * Appends an entry on the leader; it is committed once a majority has it durably.
     *
     * @return the entry's offset
     * @throws IllegalStateException when this node is not the leader
     */
    public long append(byte[] data, long nowMs) {
        this.nowMs = nowMs;
        if (!(role instanceof Leader leader)) {
            throw new IllegalStateException("node " + self + " is not the leader of epoch " + election.epoch());
        }
        long offset = log.endOffset();
        log.append(List.of(new LogEntry(offset, election.epoch(), false, data)));
        flushNeeded = true;
        replication.answerHeldFetches(leader.state);
        return offset;
    }

    /** The driver made the log durable up to {@link RaftLog#flushedEndOffset()}: the leader may commit more. */
    public void logFlushed(long nowMs) {
        this.nowMs = nowMs;
        if (role instanceof Leader leader) {
            replication.maybeAdvanceHighWatermark(leader.state);
        }
    }

    /**
     * The state machine serialized its state as of {@code id} — after applying every entry below
     * {@code id.offset()}, the last of epoch {@code id.epoch()} — into {@code data}. The core stores
     * the snapshot (durably, before returning) and deletes the log prefix it covers; from then on the
     * leader serves it to replicas that are behind the new log start. Only offsets already handed out
     * as committed ({@link Ready#committed()}) may be snapshotted.
     *
     * @return whether it was stored; false when the log already starts at or after {@code id.offset()}
     *     (a snapshot installed from the leader while this one was being made covers more)
     * @throws IllegalArgumentException when {@code id.offset()} was not handed out as committed, or
     *     {@code id.epoch()} is not the epoch of the entry before it
     */
    public boolean snapshotCreated(OffsetAndEpoch id, byte[] data, long nowMs) {
        this.nowMs = nowMs;
        if (id.offset() > appliedEnd) {
            throw new IllegalArgumentException("node " + self + " cannot snapshot at " + id.offset() + ": only offsets "
                    + "up to " + appliedEnd + " were handed out as committed");
        }
        if (id.offset() <= log.startOffset()) {
            return false;
        }
        int epoch = log.epochAt(id.offset() - 1);
        if (epoch != id.epoch()) {
            throw new IllegalArgumentException("snapshot " + id + " of node " + self + " names epoch " + id.epoch()
                    + " but the entry at " + (id.offset() - 1) + " has epoch " + epoch);
        }
        log.createSnapshot(id, data);
        log.deletePrefix(id);
        return true;
    }

    /** A snapshot downloaded from the leader replaces the whole log; the state machine must load it next. */
    void installSnapshot(Snapshot snapshot) {
        long end = snapshot.id().offset();
        if (end < highWatermark) {
            throw new IllegalStateException("node " + self + " cannot install snapshot " + snapshot.id()
                    + " below its high watermark " + highWatermark + ": committed entries would be lost");
        }
        log.installSnapshot(snapshot.id(), snapshot.data());
        highWatermark = end;
        appliedEnd = end;
        snapshotToLoad = snapshot;
    }

    /** Drains what the driver must do now; see {@link Ready} for the order. */
    public Ready poll() {
        ElectionState toPersist = electionDirty ? election : null;
        electionDirty = false;
        boolean flush = flushNeeded;
        flushNeeded = false;
        List<RaftMessage> messages = List.copyOf(outbox);
        outbox.clear();
        Snapshot snapshot = snapshotToLoad;
        snapshotToLoad = null;
        List<LogEntry> committed = new ArrayList<>();
        while (appliedEnd < highWatermark) {
            List<LogEntry> chunk = log.read(appliedEnd, (int) Math.min(Integer.MAX_VALUE, highWatermark - appliedEnd));
            if (chunk.isEmpty()) {
                break;
            }
            for (LogEntry entry : chunk) {
                if (entry.offset() < highWatermark) {
                    committed.add(entry);
                }
            }
            appliedEnd = Math.min(highWatermark, chunk.get(chunk.size() - 1).offset() + 1);
        }
        return new Ready(toPersist, flush, messages, snapshot, committed);
    }

    private void adoptHigherEpoch(RaftMessage message) {
        if (message.epoch() <= election.epoch()) {
            return;
        }
        if (message instanceof VoteRequest request && request.preVote()) {
            return; // a pre-vote's epoch is only proposed: it changes nothing
        }
        int leader = switch (message) {
            case BeginQuorumEpoch begin -> begin.from();
            case FetchResponse response -> response.leaderId();
            case FetchSnapshotResponse response -> response.leaderId();
            default -> ElectionState.NONE;
        };
        if (leader != ElectionState.NONE) {
            becomeFollower(message.epoch(), leader);
        } else {
            becomeUnattached(message.epoch());
        }
    }

    /**
     * Stops leading (the node is shutting down): tells the other voters, so they elect a successor
     * at once, and resigns. Nothing else changes: entries not yet committed may still be by the next
     * leader, as after any leader loss.
     */
    public void handOverLeadership(long nowMs) {
        this.nowMs = nowMs;
        if (!(role instanceof Leader)) {
            return;
        }
        for (int voter : config.voters()) {
            if (voter != self) {
                send(new RaftMessage.EndQuorumEpoch(self, voter, election.epoch()));
            }
        }
        resign();
    }

    /** A leader of the current epoch became known: follow it unless already doing so (or leading). */
    void learnLeader(int leaderId) {
        if (role instanceof Leader || (role instanceof Follower follower && follower.leaderId == leaderId)) {
            return;
        }
        becomeFollower(election.epoch(), leaderId);
    }

    // ---- transitions shared by Elections and Replication ----

    void becomeUnattached(int epoch) {
        setElection(new ElectionState(epoch, ElectionState.NONE, ElectionState.NONE, election.catchingUp()));
        role = new Unattached(nowMs + randomElectionTimeoutMs());
    }

    void becomeFollower(int epoch, int leaderId) {
        int votedFor = epoch == election.epoch() ? election.votedFor() : ElectionState.NONE;
        setElection(new ElectionState(epoch, votedFor, leaderId, election.catchingUp()));
        Follower follower = new Follower(leaderId, nowMs + randomElectionTimeoutMs(), nowMs);
        role = follower;
        replication.sendFetch(follower);
    }

    void becomeLeader() {
        if (!isActiveVoter()) {
            throw new IllegalStateException("node " + self + " cannot lead: it is not a voter, or is catching up");
        }
        setElection(new ElectionState(election.epoch(), self, self));
        long epochStart = log.endOffset();
        log.append(List.of(new LogEntry(epochStart, election.epoch(), true, null)));
        flushNeeded = true;
        LeaderState state = new LeaderState(self, config.voters(), epochStart, nowMs);
        role = new Leader(state);
        for (int voter : config.voters()) {
            if (voter != self) {
                send(new BeginQuorumEpoch(self, voter, election.epoch()));
            }
        }
    }

    /** A voter's election timer fired: start a pre-vote round. */
    void startElection() {
        elections.becomeProspective();
    }

    /** A voter that lost its disk has caught up: it may vote and stand for election again (persisted). */
    void finishCatchingUp() {
        setElection(new ElectionState(election.epoch(), election.votedFor(), election.leaderId(), false));
    }

    /** A voter that may vote and stand for election: not an observer, not catching up after a disk loss. */
    boolean isActiveVoter() {
        return config.isVoter() && !election.catchingUp();
    }

    void resign() {
        role = new Resigned(nowMs + randomElectionTimeoutMs());
    }

    /** A won pre-vote round became a real election (counted for {@link #status()}). */
    void countElection() {
        electionsStarted++;
    }

    void setElection(ElectionState next) {
        if (!next.equals(election)) {
            election = next;
            electionDirty = true;
        }
    }

    void setRole(RaftRole next) {
        role = next;
    }

    void send(RaftMessage message) {
        outbox.add(message);
    }

    void markFlushNeeded() {
        flushNeeded = true;
    }

    void setHighWatermark(long next) {
        highWatermark = next;
    }

    long randomElectionTimeoutMs() {
        return config.electionTimeoutMs() + (long) (random.nextDouble() * config.electionTimeoutMs());
    }

    long nowMs() {
        return nowMs;
    }

    RaftConfig config() {
        return config;
    }

    RaftLog log() {
        return log;
    }

    Random random() {
        return random;
    }

    ElectionState election() {
        return election;
    }

    RaftRole role() {
        return role;
    }

    // ---- observation (driver, DescribeQuorum, tests) ----

    public int nodeId() {
        return self;
    }

    public int epoch() {
        return election.epoch();
    }

    /** The leader of the current epoch as far as this node knows, or -1. */
    public int leaderId() {
        return role instanceof Resigned ? ElectionState.NONE : election.leaderId();
    }

    public boolean isLeader() {
        return role instanceof Leader;
    }

    /**
     * On the leader, the offset of the control entry that started its epoch: once it is committed,
     * every entry of earlier epochs is too. -1 elsewhere.
     */
    public long leaderEpochStartOffset() {
        return role instanceof Leader leader ? leader.state.epochStartOffset() : -1;
    }

    /** Offsets below it are committed (as far as this node knows). */
    public long highWatermark() {
        return highWatermark;
    }

    /** The role's name, for logs and tests: Unattached, Prospective, Candidate, Follower, Leader, Resigned. */
    public String roleName() {
        return role.getClass().getSimpleName();
    }

    /**
     * The quorum as this node sees it: complete on the leader (observers silent for 5 minutes
     * forgotten); elsewhere only the leader hint and epoch, with no replica progress.
     */
    public QuorumInfo describe() {
        return role instanceof Leader leader
                ? leader.state.describe(election.epoch(), highWatermark, log.flushedEndOffset(), nowMs)
                : new QuorumInfo(leaderId(), election.epoch(), highWatermark, List.of(), List.of());
    }

    /**
     * A picture of this node's state for metrics: on the leader with every replica's progress (as
     * {@link #describe()}), lag measured against the leader's log end.
     */
    public RaftStatus status() {
        return RaftStatus.of(self, describe(), log.endOffset(), electionsStarted, nowMs);
    }

    /** Whether this voter lost its disk and has not caught up yet, so it neither votes nor stands for election. */
    public boolean isCatchingUp() {
        return election.catchingUp();
    }

    /** The persisted election state as it will be after the next {@link #poll()}. */
    public ElectionState electionState() {
        return election;
    }
}
