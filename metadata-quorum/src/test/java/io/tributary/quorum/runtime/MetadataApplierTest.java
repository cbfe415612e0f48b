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
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import io.tributary.common.Time;
import io.tributary.quorum.image.MetadataSnapshot;
import io.tributary.quorum.raft.OffsetAndEpoch;
import java.util.concurrent.CopyOnWriteArrayList;

@Tag("unit")
class MetadataApplierTest {

    private static final MetadataApplier.SnapshotPolicy NEVER = new MetadataApplier.SnapshotPolicy(Long.MAX_VALUE,
            Long.MAX_VALUE);

    private static List<CommittedRecord> registration(long offset, int brokerId) {
        return List.of(new CommittedRecord(offset, MetadataRecord.newBuilder().setRegisterBroker(
                RegisterBrokerRecord.newBuilder().setBrokerId(brokerId).setHost("h").setPort(1)).build()));
    }

    @Test
    void waitersCompleteOnceTheirOffsetIsApplied() throws Exception {
        MetadataLoader loader = new MetadataLoader();
        try (MetadataApplier applier = new MetadataApplier(loader, NEVER, (id, data) -> { }, () -> { }, Time.SYSTEM)) {
            var waiting = applier.awaitApplied(5);
            applier.submit(registration(3, 1), 3, 1, 10);
            applier.submit(registration(5, 2), 5, 1, 10);
            waiting.get(10, TimeUnit.SECONDS);
            assertEquals(2, loader.image().brokers().size());
            assertTrue(applier.awaitApplied(4).isDone(), "already applied offsets complete at once");
        }
    }

    @Test
    void aFailingPublisherFailsWaitersInsteadOfHangingThem() throws InterruptedException {
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
        java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
        try (MetadataApplier applier = new MetadataApplier(loader, NEVER, (id, data) -> { }, left::countDown, Time.SYSTEM)) {
            var waiting = applier.awaitApplied(7);
            applier.submit(registration(7, 1), 7, 1, 10);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause(), "not retriable: the image is stuck");
            assertTrue(e.getCause().getMessage().contains("disk on fire"));
            assertTrue(applier.awaitApplied(8).isCompletedExceptionally(), "later waiters fail at once");
            assertTrue(left.await(10, TimeUnit.SECONDS), "the node is told to leave the quorum");
            assertTrue(applier.failed());
        }
    }

    @Test
    void snapshotsAreTakenEverySoManyBytesAndLoadOverAnOlderImage() throws Exception {
        MetadataLoader loader = new MetadataLoader();
        List<OffsetAndEpoch> ids = new CopyOnWriteArrayList<>();
        List<byte[]> snapshots = new CopyOnWriteArrayList<>();
        MetadataApplier.SnapshotPolicy everyTwentyBytes = new MetadataApplier.SnapshotPolicy(20, Long.MAX_VALUE);
        try (MetadataApplier applier = new MetadataApplier(loader, everyTwentyBytes, (id, data) -> {
            ids.add(id);
            snapshots.add(data);
        }, () -> { }, Time.SYSTEM)) {
            applier.submit(registration(0, 1), 0, 1, 15);
            applier.submit(registration(1, 2), 1, 2, 15);
            applier.submit(registration(2, 3), 2, 2, 15);
            applier.awaitApplied(2).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(new OffsetAndEpoch(2, 2)), ids, "one snapshot, after 30 bytes, ending after offset 1");
        MetadataImage restored = MetadataSnapshot.deserialize(snapshots.get(0), 1);
        assertEquals(java.util.Set.of(1, 2), restored.brokers().keySet());
        assertEquals(1, restored.brokers().get(2).epoch(), "broker epochs survive the snapshot");

        MetadataLoader behind = new MetadataLoader();
        try (MetadataApplier applier = new MetadataApplier(behind, NEVER, (id, data) -> { }, () -> { }, Time.SYSTEM)) {
            applier.submit(registration(0, 9), 0, 1, 15);
            applier.submitSnapshot(ids.get(0), snapshots.get(0));
            applier.submit(registration(2, 3), 2, 2, 15);
            applier.awaitApplied(2).get(10, TimeUnit.SECONDS);
        }
        assertEquals(java.util.Set.of(1, 2, 3), behind.image().brokers().keySet(), "the snapshot replaced the image");
        assertEquals(2, behind.image().lastOffset());
    }
}
