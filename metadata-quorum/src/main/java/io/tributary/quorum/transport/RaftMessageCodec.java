package io.tributary.quorum.transport;

import com.google.protobuf.ByteString;
import io.tributary.proto.quorum.v1.RaftEntry;
import io.tributary.proto.quorum.v1.RaftEnvelope;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftMessage;
import io.tributary.quorum.raft.RaftMessage.BeginQuorumEpoch;
import io.tributary.quorum.raft.RaftMessage.EndQuorumEpoch;
import io.tributary.quorum.raft.RaftMessage.FetchError;
import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.RaftMessage.FetchResponse;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotRequest;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotResponse;
import io.tributary.quorum.raft.RaftMessage.VoteRequest;
import io.tributary.quorum.raft.RaftMessage.VoteResponse;
import java.util.ArrayList;
import java.util.List;

/** Converts Raft messages to and from their protobuf envelopes; rejects malformed envelopes. */
public final class RaftMessageCodec {

    private RaftMessageCodec() {
    }

    public static RaftEnvelope encode(RaftMessage message) {
        RaftEnvelope.Builder envelope = RaftEnvelope.newBuilder().setFrom(message.from()).setTo(message.to())
                .setEpoch(message.epoch());
        switch (message) {
            case VoteRequest m -> envelope.setVoteRequest(io.tributary.proto.quorum.v1.VoteRequest.newBuilder()
                    .setPreVote(m.preVote()).setLastEntry(encode(m.lastEntry())));
            case VoteResponse m -> envelope.setVoteResponse(io.tributary.proto.quorum.v1.VoteResponse.newBuilder()
                    .setPreVote(m.preVote()).setGranted(m.granted()));
            case BeginQuorumEpoch m ->
                    envelope.setBeginQuorumEpoch(io.tributary.proto.quorum.v1.BeginQuorumEpoch.getDefaultInstance());
            case EndQuorumEpoch m ->
                    envelope.setEndQuorumEpoch(io.tributary.proto.quorum.v1.EndQuorumEpoch.getDefaultInstance());
            case FetchRequest m -> envelope.setFetchRequest(io.tributary.proto.quorum.v1.FetchRequest.newBuilder()
                    .setRequestId(m.requestId()).setFetchOffset(m.fetchOffset())
                    .setLastFetchedEpoch(m.lastFetchedEpoch()).setMaxWaitMs(m.maxWaitMs()));
            case FetchResponse m -> envelope.setFetchResponse(encodeFetchResponse(m));
            case FetchSnapshotRequest m -> envelope.setFetchSnapshotRequest(
                    io.tributary.proto.quorum.v1.FetchSnapshotRequest.newBuilder().setRequestId(m.requestId())
                            .setSnapshotId(encode(m.snapshotId())).setPosition(m.position()));
            case FetchSnapshotResponse m -> envelope.setFetchSnapshotResponse(
                    io.tributary.proto.quorum.v1.FetchSnapshotResponse.newBuilder().setRequestId(m.requestId())
                            .setError(encode(m.error())).setLeaderId(m.leaderId()).setSnapshotId(encode(m.snapshotId()))
                            .setPosition(m.position()).setSizeBytes(m.sizeBytes()).setChunk(ByteString.copyFrom(m.chunk())));
        }
        return envelope.build();
    }

    private static io.tributary.proto.quorum.v1.FetchResponse encodeFetchResponse(FetchResponse m) {
        io.tributary.proto.quorum.v1.FetchResponse.Builder response = io.tributary.proto.quorum.v1.FetchResponse
                .newBuilder().setRequestId(m.requestId()).setError(encode(m.error())).setLeaderId(m.leaderId())
                .setHighWatermark(m.highWatermark());
        if (m.divergingEnd() != null) {
            response.setDivergingEnd(encode(m.divergingEnd()));
        }
        if (m.snapshotId() != null) {
            response.setSnapshotId(encode(m.snapshotId()));
        }
        for (LogEntry entry : m.entries()) {
            response.addEntries(RaftEntry.newBuilder().setOffset(entry.offset()).setEpoch(entry.epoch())
                    .setControl(entry.control()).setData(ByteString.copyFrom(entry.data())));
        }
        return response.build();
    }

    /**
     * @throws IllegalArgumentException naming the problem: no message, negative epochs, offsets,
     *     positions or sizes, an unknown error code, a missing snapshot id, a fetch response naming both
     *     a divergence and a snapshot, a snapshot chunk reaching past the snapshot's size
     */
    public static RaftMessage decode(RaftEnvelope envelope) {
        int from = envelope.getFrom();
        int to = envelope.getTo();
        int epoch = envelope.getEpoch();
        if (epoch < 0) {
            throw new IllegalArgumentException("Raft message from " + from + " has negative epoch " + epoch);
        }
        return switch (envelope.getMessageCase()) {
            case VOTE_REQUEST -> new VoteRequest(from, to, epoch, envelope.getVoteRequest().getPreVote(),
                    decode(envelope.getVoteRequest().getLastEntry()));
            case VOTE_RESPONSE -> new VoteResponse(from, to, epoch, envelope.getVoteResponse().getPreVote(),
                    envelope.getVoteResponse().getGranted());
            case BEGIN_QUORUM_EPOCH -> new BeginQuorumEpoch(from, to, epoch);
            case END_QUORUM_EPOCH -> new EndQuorumEpoch(from, to, epoch);
            case FETCH_REQUEST -> decodeFetchRequest(from, to, epoch, envelope.getFetchRequest());
            case FETCH_RESPONSE -> decodeFetchResponse(from, to, epoch, envelope.getFetchResponse());
            case FETCH_SNAPSHOT_REQUEST -> decodeFetchSnapshotRequest(from, to, epoch,
                    envelope.getFetchSnapshotRequest());
            case FETCH_SNAPSHOT_RESPONSE -> decodeFetchSnapshotResponse(from, to, epoch,
                    envelope.getFetchSnapshotResponse());
            case MESSAGE_NOT_SET -> throw new IllegalArgumentException("Raft envelope from " + from + " has no message");
        };
    }

    private static FetchRequest decodeFetchRequest(int from, int to, int epoch,
                                                   io.tributary.proto.quorum.v1.FetchRequest request) {
        if (request.getFetchOffset() < 0 || request.getMaxWaitMs() < 0) {
            throw new IllegalArgumentException("fetch from " + from + " has negative fetch_offset "
                    + request.getFetchOffset() + " or max_wait_ms " + request.getMaxWaitMs());
        }
        return new FetchRequest(from, to, epoch, request.getRequestId(), request.getFetchOffset(),
                request.getLastFetchedEpoch(), request.getMaxWaitMs());
    }

    private static FetchResponse decodeFetchResponse(int from, int to, int epoch,
                                                     io.tributary.proto.quorum.v1.FetchResponse response) {
        List<LogEntry> entries = new ArrayList<>();
        for (RaftEntry entry : response.getEntriesList()) {
            entries.add(new LogEntry(entry.getOffset(), entry.getEpoch(), entry.getControl(),
                    entry.getData().toByteArray()));
        }
        if (response.hasDivergingEnd() && response.hasSnapshotId()) {
            throw new IllegalArgumentException("fetch response from " + from + " names both a diverging end and a "
                    + "snapshot");
        }
        return new FetchResponse(from, to, epoch, response.getRequestId(), decode(response.getError()),
                response.getLeaderId(), response.hasDivergingEnd() ? decode(response.getDivergingEnd()) : null,
                response.hasSnapshotId() ? decode(response.getSnapshotId()) : null, entries,
                response.getHighWatermark());
    }

    private static FetchSnapshotRequest decodeFetchSnapshotRequest(
            int from, int to, int epoch, io.tributary.proto.quorum.v1.FetchSnapshotRequest request) {
        if (!request.hasSnapshotId() || request.getPosition() < 0) {
            throw new IllegalArgumentException("snapshot fetch from " + from + " has no snapshot id or a negative "
                    + "position " + request.getPosition());
        }
        return new FetchSnapshotRequest(from, to, epoch, request.getRequestId(), decode(request.getSnapshotId()),
                request.getPosition());
    }

    private static FetchSnapshotResponse decodeFetchSnapshotResponse(
            int from, int to, int epoch, io.tributary.proto.quorum.v1.FetchSnapshotResponse response) {
        long position = response.getPosition();
        long sizeBytes = response.getSizeBytes();
        int chunkBytes = response.getChunk().size();
        FetchError error = decode(response.getError());
        // A chunk lies within the snapshot; an error carries none.
        boolean chunkFits = error == FetchError.NONE ? position <= sizeBytes - chunkBytes : chunkBytes == 0;
        if (!response.hasSnapshotId() || position < 0 || sizeBytes < 0 || !chunkFits) {
            throw new IllegalArgumentException("snapshot chunk from " + from + " is malformed: snapshot id "
                    + (response.hasSnapshotId() ? "present" : "missing") + ", " + error + ", " + chunkBytes
                    + " bytes at position " + position + " of " + sizeBytes);
        }
        return new FetchSnapshotResponse(from, to, epoch, response.getRequestId(), error,
                response.getLeaderId(), decode(response.getSnapshotId()), position, sizeBytes,
                response.getChunk().toByteArray());
    }

    private static io.tributary.proto.quorum.v1.OffsetAndEpoch encode(OffsetAndEpoch position) {
        return io.tributary.proto.quorum.v1.OffsetAndEpoch.newBuilder().setOffset(position.offset())
                .setEpoch(position.epoch()).build();
    }

    private static OffsetAndEpoch decode(io.tributary.proto.quorum.v1.OffsetAndEpoch position) {
        if (position.getOffset() < 0 || position.getEpoch() < 0) {
            throw new IllegalArgumentException("negative log position " + position.getOffset() + "@"
                    + position.getEpoch());
        }
        return new OffsetAndEpoch(position.getOffset(), position.getEpoch());
    }

    private static io.tributary.proto.quorum.v1.FetchError encode(FetchError error) {
        return switch (error) {
            case NONE -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_NONE;
            case NOT_LEADER -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_NOT_LEADER;
            case FENCED_LEADER_EPOCH -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_FENCED_LEADER_EPOCH;
            case UNKNOWN_LEADER_EPOCH -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_UNKNOWN_LEADER_EPOCH;
            case SNAPSHOT_NOT_FOUND -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_SNAPSHOT_NOT_FOUND;
            case POSITION_OUT_OF_RANGE -> io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_POSITION_OUT_OF_RANGE;
        };
    }

    private static FetchError decode(io.tributary.proto.quorum.v1.FetchError error) {
        return switch (error) {
            case FETCH_ERROR_NONE -> FetchError.NONE;
            case FETCH_ERROR_NOT_LEADER -> FetchError.NOT_LEADER;
            case FETCH_ERROR_FENCED_LEADER_EPOCH -> FetchError.FENCED_LEADER_EPOCH;
            case FETCH_ERROR_UNKNOWN_LEADER_EPOCH -> FetchError.UNKNOWN_LEADER_EPOCH;
            case FETCH_ERROR_SNAPSHOT_NOT_FOUND -> FetchError.SNAPSHOT_NOT_FOUND;
            case FETCH_ERROR_POSITION_OUT_OF_RANGE -> FetchError.POSITION_OUT_OF_RANGE;
            case FETCH_ERROR_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("fetch response with unknown error " + error);
        };
    }
}
