package io.tributary.broker.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.quorum.image.MetadataImage;
import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Channels are lazy: none of these connects, so no server is needed. */
@Tag("unit")
class BrokerChannelsTest {

    private static final InetSocketAddress ADDRESS = InetSocketAddress.createUnresolved("127.0.0.1", 9);
    private static final InetSocketAddress MOVED = InetSocketAddress.createUnresolved("127.0.0.1", 10);

    private final BrokerChannels channels = new BrokerChannels(1 << 20);

    @AfterEach
    void tearDown() {
        channels.close();
    }

    @Test
    void oneChannelPerBrokerReplacedWhenItsAddressChanges() {
        ManagedChannel first = channels.channelTo(1, ADDRESS);
        assertSame(first, channels.channelTo(1, InetSocketAddress.createUnresolved("127.0.0.1", 9)));
        ManagedChannel moved = channels.channelTo(1, MOVED);
        assertNotSame(first, moved);
        assertTrue(first.isShutdown(), "the channel to the old address is shut down");
        assertFalse(moved.isShutdown());
        assertEquals(Set.of(1), channels.brokerIds());
    }

    @Test
    void closeNotInShutsDownOnlyTheChannelsOfBrokersThatLeft() {
        ManagedChannel staying = channels.channelTo(1, ADDRESS);
        ManagedChannel leaving = channels.channelTo(2, MOVED);
        channels.closeNotIn(Set.of(1, 3));
        assertTrue(leaving.isShutdown());
        assertFalse(staying.isShutdown());
        assertEquals(Set.of(1), channels.brokerIds());
    }

    @Test
    void closedChannelsRefuseNewUsesAndShutEveryChannelDown() {
        ManagedChannel channel = channels.channelTo(1, ADDRESS);
        channels.close();
        assertTrue(channel.isShutdown());
        BrokerNotAvailableException refused = assertThrows(BrokerNotAvailableException.class,
                () -> channels.channelTo(1, ADDRESS));
        assertEquals("the node is shutting down", refused.getMessage());
    }

    @Test
    void endOffsetsBorrowTheChannelsAndLeaveThemOpenWhenClosed() {
        ManagedChannel channel = channels.channelTo(1, ADDRESS);
        new GrpcEndOffsets(() -> MetadataImage.EMPTY, channels, 1_000).close();
        assertFalse(channel.isShutdown(), "the owner closes the shared channels, not a borrower");
    }
}
