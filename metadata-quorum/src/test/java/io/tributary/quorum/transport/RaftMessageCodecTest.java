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
                new RaftMessage.FetchRequest(3, 1, 6, 77, 12, 5, 100),
                new RaftMessage.FetchResponse(1, 3, 6, 77, RaftMessage.FetchError.NOT_LEADER, 2, null, null, List.of(), 9),
                new RaftMessage.FetchResponse(1, 3, 6, 78, RaftMessage.FetchError.NONE, 1, new OffsetAndEpoch(8, 3),
                        null, List.of(), 9));
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
}
