package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.partition.Partition;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.storage.testing.PowerLossFileIo;
import io.tributary.storage.testing.PowerSupply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability promise of {@code log.flush.on.commit} (DESIGN.md §3, "Flush policy"; README,
 * "Replication and durability"): three brokers on one {@link PowerSupply} lose power at the same
 * instant while acks=all writes are in flight; each disk keeps only what was fsynced
 * ({@link PowerLossFileIo}); the brokers restart from those directories, and every write that was
 * acknowledged must be read back at its offset.
 *
 * <p>How the brokers "lose power" in this JVM: the supply is cut first — right after one leader has
 * appended a batch to its page cache, so the cut surely catches unsynced data — and from that
 * instant nothing more reaches any disk (every file call fails; stores into mapped indexes are
 * rolled back later); then the brokers are closed. Their closes run against dead disks (flushes,
 * checkpoints and clean-shutdown markers all fail), and their controlled shutdowns leave the
 * controller where fencing would after a real power loss: every ISR shrunk to the last broker to
 * go, no leader until it returns. Only partition data loses power: the controllers run on, and the
 * brokers' metadata logs (which do not go through the injected FileIo) survive intact.
 */
@Tag("integration")
class PowerLossIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(PowerLossIntegrationTest.class);
    private static final String TOPIC = "power-loss";
    private static final int PARTITIONS = 3;
    private static final int IN_FLIGHT_PER_PARTITION = 8;
    private static final int ACKED_BEFORE_POWER_LOSS = 600;

    @TempDir
    Path dir;
    private final PowerSupply power = new PowerSupply();
    private final Map<Integer, PowerLossFileIo> disks = new ConcurrentHashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private InProcessCluster cluster;

    /** What a power loss of every broker did to the acknowledged writes. */
    private record Outcome(int acked, List<String> lost, int storedAfterRestart, long unsyncedBytesDropped) {
    }

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Segments of 8 KiB roll every hundred records or so, so new segments (and their directory
     * fsyncs), forced indexes and recovery over several segments are in play too.
     */
    @Test
    void withFlushOnCommitNoAcknowledgedWriteIsLost() throws IOException {
        Outcome outcome = powerLossOfEveryBroker(Map.of("log.flush.on.commit", "true", "log.segment.bytes", "8192"));

        assertTrue(outcome.acked() >= ACKED_BEFORE_POWER_LOSS, outcome.toString());
        assertTrue(outcome.unsyncedBytesDropped() > 0, "the cut caught unsynced appends: " + outcome);
        assertEquals(List.of(), outcome.lost(), "acknowledged writes lost: " + outcome);
    }

    /**
     * The weakness the README states for {@code log.flush.on.commit=false}: acks=all then means "in
     * the page cache of every ISR member", and a power loss of every replica takes back whatever no
     * flush covered. Here no log.flush.interval.* is set and segments are too large to roll, so
     * nothing is ever fsynced and every acknowledged write is lost (the log line gives the count);
     * that some are lost is certain, and is what is asserted.
     */
    @Test
    void withoutFlushOnCommitAcknowledgedWritesThatWereNeverFlushedAreLost() throws IOException {
        Outcome outcome = powerLossOfEveryBroker(Map.of("log.flush.on.commit", "false"));

        assertTrue(outcome.acked() >= ACKED_BEFORE_POWER_LOSS, outcome.toString());
        assertTrue(outcome.lost().size() > 0, "a power loss of every replica lost nothing unflushed: " + outcome);
    }

    private Outcome powerLossOfEveryBroker(Map<String, String> storageConfig) throws IOException {
        Map<String, String> config = new HashMap<>(storageConfig);
        config.putAll(Map.of("replica.lag.time.max.ms", "10000", "replica.fetch.wait.max.ms", "200",
                "replica.fetch.backoff.ms", "100"));
        cluster = new InProcessCluster(dir, 3, 3, config)
                .withLogFileIo(id -> disks.computeIfAbsent(id, unused -> new PowerLossFileIo(power))).start();
        createTopic();
        AckedWrites writes = new AckedWrites(TOPIC, power::isOn);
        for (int p = 0; p < PARTITIONS; p++) {
            writes.start(p, channel(state(p).leader()), IN_FLIGHT_PER_PARTITION);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> writes.ackedCount() >= ACKED_BEFORE_POWER_LOSS);

        // Every disk goes dark the instant partition 0's leader has appended its next batch to the page cache.
        disks.get(state(0).leader()).cutPowerAfterNextWrite(".log");
        await().atMost(30, TimeUnit.SECONDS).until(() -> !power.isOn());
        cluster.stopInParallel(cluster.brokerIds());
        await().atMost(60, TimeUnit.SECONDS).until(() -> writes.outstanding() == 0);
        long dropped = dropUnsyncedData();
        power.restore();
        cluster.startInParallel(cluster.brokerIds());

        List<String> lost = new ArrayList<>();
        int stored = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            awaitIdenticalReplicas(new TopicPartition(TOPIC, p));
            NavigableMap<Long, String> records = readAll(p);
            stored += records.size();
            lost.addAll(missing(p, writes.acked(p), records));
        }
        Outcome outcome = new Outcome(writes.ackedCount(), lost, stored, dropped);
        log.info("Power loss of every broker with {}: {} acknowledged writes checked, {} lost, "
                + "{} records stored after the restart; {} requests refused or failed (most of them in flight at the "
                + "cut); {} unsynced bytes dropped from the brokers' disks", new TreeMap<>(storageConfig), outcome.acked(),
                lost.size(), stored, writes.refused(), dropped);
        return outcome;
    }

    /** The acknowledged writes not found at their offset, as "partition@offset=value (now stored)". */
    private static List<String> missing(int partition, NavigableMap<Long, String> acked,
                                        NavigableMap<Long, String> stored) {
        List<String> missing = new ArrayList<>();
        acked.forEach((offset, value) -> {
            if (!value.equals(stored.get(offset))) {
                missing.add(partition + "@" + offset + "=" + value + " (now " + stored.get(offset) + ")");
            }
        });
        return missing;
    }

    /** Rolls each broker's disk back to what it had fsynced; returns the unsynced bytes dropped. */
    private long dropUnsyncedData() throws IOException {
        long dropped = 0;
        for (Map.Entry<Integer, PowerLossFileIo> disk : new TreeMap<>(disks).entrySet()) {
            PowerLossFileIo.Report report = disk.getValue().dropUnsyncedData();
            log.info("Broker {} after the power loss: {}", disk.getKey(), report);
            dropped += report.bytesCut();
        }
        return dropped;
    }

    private void createTopic() {
        NewTopic topic = NewTopic.newBuilder().setName(TOPIC).setNumPartitions(PARTITIONS).setReplicationFactor(3)
                .putConfigs("min.insync.replicas", "2").build();
        ErrorCode code = AdminServiceGrpc.newBlockingStub(channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(topic).build()).getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, code);
        cluster.awaitTopic(TOPIC);
        await().atMost(30, TimeUnit.SECONDS).until(() -> allPartitionsLed());
    }

    private boolean allPartitionsLed() {
        for (int p = 0; p < PARTITIONS; p++) {
            int leader = state(p).leader();
            if (leader < 0 || !cluster.node(leader).localReplica(new TopicPartition(TOPIC, p))
                    .map(Partition::isLeader).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private ManagedChannel channel(int brokerId) {
        int port = Integer.parseInt(cluster.bootstrap(brokerId).split(":")[1]);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private PartitionImage state(int partition) {
        return cluster.node(cluster.brokerIds().get(0)).metadataImage().topic(TOPIC).orElseThrow().partitions()
                .get(partition);
    }

    /**
     * Waits until the partition has a leader again and every replica holds the same log, all of it
     * committed, then checks that the replicas agree byte for byte.
     */
    private void awaitIdenticalReplicas(TopicPartition tp) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            int leader = state(tp.partition()).leader();
            if (leader < 0 || state(tp.partition()).isr().size() != 3) {
                return false;
            }
            long end = replica(leader, tp).logEndOffset();
            return cluster.brokerIds().stream().allMatch(id -> replica(id, tp).logEndOffset() == end
                    && replica(id, tp).highWatermark() == end);
        });
        Partition first = replica(cluster.brokerIds().get(0), tp);
        ByteBuffer reference = first.log().read(0, Integer.MAX_VALUE, first.highWatermark(), true).records();
        for (int id : cluster.brokerIds()) {
            Partition other = replica(id, tp);
            assertEquals(reference, other.log().read(0, Integer.MAX_VALUE, other.highWatermark(), true).records(),
                    "committed bytes of " + tp + " on broker " + id);
        }
    }

    private Partition replica(int brokerId, TopicPartition tp) {
        return cluster.node(brokerId).localReplica(tp).orElseThrow();
    }

    /** Every record of the partition, read through the leader's FetchService from offset 0: offset to value. */
    private NavigableMap<Long, String> readAll(int partition) {
        FetchServiceGrpc.FetchServiceBlockingStub fetch = FetchServiceGrpc.newBlockingStub(
                channel(state(partition).leader()));
        NavigableMap<Long, String> stored = new TreeMap<>();
        long offset = 0;
        long highWatermark;
        do {
            FetchPartitionResponse response = fetch.withDeadlineAfter(30, TimeUnit.SECONDS).fetch(FetchRequest
                    .newBuilder().setRecordFormat(RecordFormat.RECORD_FORMAT_RECORDS).setMaxWaitMs(0)
                    .addPartitions(FetchPartition.newBuilder().setTopic(TOPIC).setPartition(partition)
                            .setFetchOffset(offset)).build()).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
            highWatermark = response.getHighWatermark();
            List<Record> records = response.getRecords().getRecordsList();
            assertTrue(offset >= highWatermark || !records.isEmpty(), "nothing read at " + offset + " below the "
                    + "high watermark " + highWatermark);
            for (Record record : records) {
                stored.put(record.getOffset(), record.getValue().toStringUtf8());
                offset = record.getOffset() + 1;
            }
        } while (offset < highWatermark);
        return stored;
    }
}
