package io.tributary.quorum.raft;

import io.tributary.quorum.raft.RaftMessage.FetchError;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotRequest;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotResponse;
import io.tributary.quorum.raft.RaftRole.Follower;
import io.tributary.quorum.raft.RaftRole.Leader;
import java.util.Optional;

/**
 * Snapshot transfer for {@link RaftCore} (KRaft's FetchSnapshot): the leader serves its latest
 * snapshot in chunks; a follower or observer that the leader told to fetch one downloads it, installs
 * it in place of its whole log, and goes back to fetching entries from the snapshot's end. Part of the
 * core (same thread, no I/O).
 *
 * <p>A download starts over (with a fetch, which names the leader's current snapshot) when the leader
 * no longer has the snapshot, when an answer does not continue the download, and, since the download
 * belongs to the {@link Follower} role, whenever the leader or epoch changes.
 */
final class SnapshotTransfer {

    private final RaftCore core;
    private final Replication replication;

    SnapshotTransfer(RaftCore core, Replication replication) {
        this.core = core;
        this.replication = replication;
    }

    // ---- follower side ----

    /** The leader answered a fetch with {@code snapshotId}: this node's log is behind its log start. */
    void startDownload(Follower follower, OffsetAndEpoch snapshotId) {
        if (snapshotId.offset() < core.highWatermark()) {
            throw new IllegalStateException("node " + core.config().nodeId() + " was told to fetch snapshot "
                    + snapshotId + ", below its high watermark " + core.highWatermark() + ": committed entries diverge");
        }
        follower.download = new SnapshotDownload(snapshotId);
        sendFetchSnapshot(follower);
    }

    void sendFetchSnapshot(Follower follower) {
        follower.inFlightRequestId = replication.nextRequestId();
        follower.inFlightSentMs = core.nowMs();
        core.send(new FetchSnapshotRequest(core.config().nodeId(), follower.leaderId, core.election().epoch(),
                follower.inFlightRequestId, follower.download.id, follower.download.position()));
    }

    void onFetchSnapshotResponse(FetchSnapshotResponse response) {
        if (response.epoch() < core.election().epoch() || !(core.role() instanceof Follower follower)
                || follower.download == null || response.from() != follower.leaderId || response.requestId() < 0
                || response.requestId() != follower.inFlightRequestId) {
            return; // late, duplicated, or for a download that was abandoned
        }
        follower.inFlightRequestId = -1;
        switch (response.error()) {
            case NONE -> onChunk(follower, response);
            case SNAPSHOT_NOT_FOUND, POSITION_OUT_OF_RANGE -> restart(follower);
            // The leader resigned or is behind: wait for news, or time out and look again.
            case NOT_LEADER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH -> { }
        }
    }

    private void onChunk(Follower follower, FetchSnapshotResponse response) {
        follower.lastFetchSuccessMs = core.nowMs();
        follower.fetchDeadlineMs = core.nowMs() + core.randomElectionTimeoutMs();
        SnapshotDownload download = follower.download;
        if (!download.accept(response)) {
            restart(follower);
            return;
        }
        if (!download.isComplete()) {
            sendFetchSnapshot(follower);
            return;
        }
        follower.download = null;
        core.installSnapshot(new Snapshot(download.id, download.data()));
        replication.sendFetch(follower);
    }

    /** Abandons the download; the fetch that follows names the leader's current snapshot. */
    private void restart(Follower follower) {
        follower.download = null;
        replication.sendFetch(follower);
    }

    // ---- leader side ----

    void onFetchSnapshotRequest(FetchSnapshotRequest request) {
        if (!(core.role() instanceof Leader leader)) {
            core.send(error(request, FetchError.NOT_LEADER, core.leaderId()));
            return;
        }
        int self = core.config().nodeId();
        if (request.epoch() < core.election().epoch()) {
            core.send(error(request, FetchError.FENCED_LEADER_EPOCH, self));
            return;
        }
        RaftLog log = core.log();
        Optional<OffsetAndEpoch> latest = log.latestSnapshot();
        if (latest.isEmpty() || !latest.get().equals(request.snapshotId())) {
            core.send(error(request, FetchError.SNAPSHOT_NOT_FOUND, self));
            return;
        }
        long sizeBytes = log.snapshotSizeBytes(request.snapshotId());
        if (request.position() < 0 || request.position() > sizeBytes) {
            core.send(error(request, FetchError.POSITION_OUT_OF_RANGE, self));
            return;
        }
        // A replica busy downloading sends no fetches; its chunk requests show it is alive (check-quorum).
        leader.state.recordContact(request.from(), core.nowMs());
        byte[] chunk = log.readSnapshot(request.snapshotId(), request.position(), core.config().snapshotChunkBytes());
        core.send(new FetchSnapshotResponse(self, request.from(), core.election().epoch(), request.requestId(),
                FetchError.NONE, self, request.snapshotId(), request.position(), sizeBytes, chunk));
    }

    private FetchSnapshotResponse error(FetchSnapshotRequest request, FetchError error, int leaderId) {
        return new FetchSnapshotResponse(core.config().nodeId(), request.from(), core.election().epoch(),
                request.requestId(), error, leaderId, request.snapshotId(), request.position(), 0, null);
    }
}
