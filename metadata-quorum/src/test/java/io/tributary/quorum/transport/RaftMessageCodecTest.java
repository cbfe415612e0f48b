package io.tributary.quorum.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.proto.quorum.v1.RaftEnvelope;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftMessage;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RaftMessageCodecTest {

    @Test
    void everyMessageRoundTrips() {
        List<RaftMessage> messages = List.of(
                new RaftMessage.VoteRequest(1, 2, 5, true, new OffsetAndEpoch(10, 4)),
                new RaftMessage.VoteResponse(2, 1, 5, false, true),
                new RaftMessage.BeginQuorumEpoch(1, 3, 6),
                new RaftMessage.EndQuorumEpoch(3, 1, 6),
                new RaftMessage.FetchRequest(3, 1, 6, 77, 12, 5, 100),
                new RaftMessage.FetchResponse(1, 3, 6, 77, RaftMessage.FetchError.NOT_LEADER, 2, null, null, List.of(), 9),
                new RaftMessage.FetchResponse(1, 3, 6, 78, RaftMessage.FetchError.NONE, 1, new OffsetAndEpoch(8, 3),
                        null, List.of(), 9),
                new RaftMessage.FetchResponse(1, 3, 6, 79, RaftMessage.FetchError.NONE, 1, null,
                        new OffsetAndEpoch(40, 5), List.of(), 52),
                new RaftMessage.FetchSnapshotRequest(3, 1, 6, 80, new OffsetAndEpoch(40, 5), 1024),
                new RaftMessage.FetchSnapshotResponse(1, 3, 6, 80, RaftMessage.FetchError.NONE, 1,
                        new OffsetAndEpoch(40, 5), 1024, 1027, new byte[] {7, 8, 9}),
                new RaftMessage.FetchSnapshotResponse(1, 3, 6, 81, RaftMessage.FetchError.SNAPSHOT_NOT_FOUND, 1,
                        new OffsetAndEpoch(40, 5), 1024, 0, null),
                new RaftMessage.FetchSnapshotResponse(1, 3, 6, 82, RaftMessage.FetchError.POSITION_OUT_OF_RANGE, 1,
                        new OffsetAndEpoch(40, 5), 2000, 0, null));
        for (RaftMessage message : messages) {
            assertEquals(message, RaftMessageCodec.decode(RaftMessageCodec.encode(message)));
        }
        RaftMessage.FetchResponse withEntries = new RaftMessage.FetchResponse(1, 3, 6, 79, RaftMessage.FetchError.NONE,
                1, null, null, List.of(new LogEntry(12, 6, true, null), new LogEntry(13, 6, false, new byte[] {1, 2})), 12);
        RaftMessage.FetchResponse decoded = (RaftMessage.FetchResponse) RaftMessageCodec.decode(
                RaftMessageCodec.encode(withEntries));
        assertEquals(withEntries.entries(), decoded.entries());
        assertArrayEquals(new byte[] {1, 2}, decoded.entries().get(1).data());
    }

    @Test
    void malformedEnvelopesAreRejectedWithTheReason() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder().setFrom(4).build()));
        assertEquals("Raft envelope from 4 has no message", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder()
                .setEpoch(-1).setBeginQuorumEpoch(io.tributary.proto.quorum.v1.BeginQuorumEpoch.getDefaultInstance())
                .build()));
        assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder()
                .setFetchResponse(io.tributary.proto.quorum.v1.FetchResponse.getDefaultInstance()).build()),
                "an unspecified fetch error is refused");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(
                RaftEnvelope.newBuilder().setFetchResponse(io.tributary.proto.quorum.v1.FetchResponse.newBuilder()
                        .setError(io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_NONE)
                        .setDivergingEnd(io.tributary.proto.quorum.v1.OffsetAndEpoch.newBuilder().setOffset(-3)))
                        .build()));
        assertEquals("negative log position -3@0", negative.getMessage());
    }

    private static io.tributary.proto.quorum.v1.OffsetAndEpoch position(long offset, int epoch) {
        return io.tributary.proto.quorum.v1.OffsetAndEpoch.newBuilder().setOffset(offset).setEpoch(epoch).build();
    }

    private static IllegalArgumentException rejected(io.tributary.proto.quorum.v1.FetchSnapshotResponse.Builder chunk) {
        return assertThrows(IllegalArgumentException.class,
                () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder().setFetchSnapshotResponse(chunk).build()));
    }

    @Test
    void malformedSnapshotMessagesAreRejectedWithTheReason() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(
                RaftEnvelope.newBuilder().setFrom(1).setFetchResponse(io.tributary.proto.quorum.v1.FetchResponse
                        .newBuilder().setError(io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_NONE)
                        .setDivergingEnd(position(3, 1)).setSnapshotId(position(8, 2))).build()));
        assertEquals("fetch response from 1 names both a diverging end and a snapshot", both.getMessage());

        assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder()
                .setFetchSnapshotRequest(io.tributary.proto.quorum.v1.FetchSnapshotRequest.newBuilder()
                        .setSnapshotId(position(8, 2)).setPosition(-1)).build()), "a negative position");
        assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder()
                .setFetchSnapshotRequest(io.tributary.proto.quorum.v1.FetchSnapshotRequest.newBuilder()
                        .setPosition(0)).build()), "no snapshot id");
        assertThrows(IllegalArgumentException.class, () -> RaftMessageCodec.decode(RaftEnvelope.newBuilder()
                .setFetchSnapshotRequest(io.tributary.proto.quorum.v1.FetchSnapshotRequest.newBuilder()
                        .setSnapshotId(position(-8, 2))).build()), "a negative snapshot offset");

        io.tributary.proto.quorum.v1.FetchSnapshotResponse.Builder valid = io.tributary.proto.quorum.v1
                .FetchSnapshotResponse.newBuilder().setError(io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_NONE)
                .setSnapshotId(position(8, 2)).setPosition(4).setSizeBytes(6)
                .setChunk(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2}));
        RaftMessageCodec.decode(RaftEnvelope.newBuilder().setFetchSnapshotResponse(valid).build());
        IllegalArgumentException pastTheEnd = rejected(valid.clone().setSizeBytes(5));
        assertEquals("snapshot chunk from 0 is malformed: snapshot id present, NONE, 2 bytes at position 4 of 5",
                pastTheEnd.getMessage());
        rejected(valid.clone().setPosition(-1));
        rejected(valid.clone().setSizeBytes(-6));
        rejected(valid.clone().clearSnapshotId());
        rejected(valid.clone().setPosition(Long.MAX_VALUE).setSizeBytes(Long.MAX_VALUE));
        rejected(valid.clone().setError(io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_SNAPSHOT_NOT_FOUND));
        rejected(valid.clone().setError(io.tributary.proto.quorum.v1.FetchError.FETCH_ERROR_UNSPECIFIED));
    }
}
