package io.tributary.quorum.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.MetadataPublisher;
import io.tributary.quorum.image.MetadataLoader.CommittedRecord;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MetadataApplierTest {

    private static List<CommittedRecord> registration(long offset, int brokerId) {
        return List.of(new CommittedRecord(offset, MetadataRecord.newBuilder().setRegisterBroker(
                RegisterBrokerRecord.newBuilder().setBrokerId(brokerId).setHost("h").setPort(1)).build()));
    }

    @Test
    void waitersCompleteOnceTheirOffsetIsApplied() throws Exception {
        MetadataLoader loader = new MetadataLoader();
        try (MetadataApplier applier = new MetadataApplier(loader)) {
            var waiting = applier.awaitApplied(5);
            applier.submit(registration(3, 1), 3);
            applier.submit(registration(5, 2), 5);
            waiting.get(10, TimeUnit.SECONDS);
            assertEquals(2, loader.image().brokers().size());
            assertTrue(applier.awaitApplied(4).isDone(), "already applied offsets complete at once");
        }
    }

    @Test
    void aFailingPublisherFailsWaitersInsteadOfHangingThem() {
        MetadataLoader loader = new MetadataLoader();
        loader.register(new MetadataPublisher() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
                throw new IllegalStateException("disk on fire");
            }
        });
        try (MetadataApplier applier = new MetadataApplier(loader)) {
            var waiting = applier.awaitApplied(7);
            applier.submit(registration(7, 1), 7);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(BrokerNotAvailableException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("disk on fire"));
            assertTrue(applier.awaitApplied(8).isCompletedExceptionally(), "later waiters fail at once");
        }
    }
}
