package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.storage.Log;
import io.tributary.storage.Scheduler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication promise under process faults: three controller and three broker processes, a
 * topic with RF 3 and min.insync.replicas 2, writers producing unique sequential values with
 * acks=all and readers following every partition, while the test kills -9 and restarts leaders
 * and followers and SIGSTOPs a follower for longer than replica.lag.time.max.ms. At the end every
 * acknowledged value is at the offset its acknowledgement gave, readers never saw an offset go
 * backwards or a value change, and every replica's log is byte-identical up to the high watermark.
 * {@code -Dtributary.replication.faults=N} sets the number of fault rounds (default 6).
 */
@Tag("system")
class ReplicationFaultSystemTest {

    private static final Logger log = LoggerFactory.getLogger(ReplicationFaultSystemTest.class);
    private static final String TOPIC = "facts";
    private static final int PARTITIONS = 2;
    private static final List<Integer> BROKERS = List.of(1, 2, 3);
    private static final long LAG_TIME_MAX_MS = 1_500;

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedWriteIsLostAndReplicasEndIdentical() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(dir, 3, 3, Map.of("broker.heartbeat.interval.ms", "300",
                "broker.session.timeout.ms", "6000", "replica.lag.time.max.ms", String.valueOf(LAG_TIME_MAX_MS),
                "replica.fetch.wait.max.ms", "200", "replica.fetch.backoff.ms", "200",
                "replica.socket.timeout.ms", "2000", "leader.imbalance.check.interval.seconds", "5"))) {
            cluster.startAll();
            ErrorCode created = cluster.admin(1).createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic
                    .newBuilder().setName(TOPIC).setNumPartitions(PARTITIONS).setReplicationFactor(3)
                    .putConfigs("min.insync.replicas", "2")).build()).getTopics(0).getErrorCode();
            assertEquals(ErrorCode.ERROR_CODE_NONE, created);
            List<PartitionTraffic> traffic = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                traffic.add(new PartitionTraffic(cluster, BROKERS, TOPIC, p));
            }
            awaitHealthy(traffic);
            traffic.forEach(PartitionTraffic::start);

            List<Long> unavailableMs = new ArrayList<>();
            int rounds = Integer.getInteger("tributary.replication.faults", 6);
            for (int round = 0; round < rounds; round++) {
                PartitionTraffic target = traffic.get(round % PARTITIONS);
                awaitProgress(traffic, 20);
                switch (round % 3) {
                    case 0 -> unavailableMs.add(killAndRestartTheLeader(cluster, target));
                    case 1 -> killAndRestartAFollower(cluster, target);
                    default -> pauseAFollowerPastTheLagTime(cluster, target);
                }
                awaitHealthy(traffic);
            }
            awaitProgress(traffic, 20);
            for (PartitionTraffic partition : traffic) {
                partition.stop();
            }
            verify(cluster, traffic, unavailableMs, rounds);
        }
    }

    /** kill -9 of the partition's leader; returns ms until the next acknowledged write to it. */
    private long killAndRestartTheLeader(ClusterProcesses cluster, PartitionTraffic target) throws Exception {
        int leader = target.metadata().orElseThrow().getLeaderId();
        long killedAt = System.nanoTime();
        cluster.node(leader).kill();
        cluster.forget(leader);
        await().atMost(60, TimeUnit.SECONDS).until(() -> target.acks().stream().anyMatch(a -> a.atNanos() > killedAt));
        long firstAck = target.acks().stream().filter(a -> a.atNanos() > killedAt).mapToLong(a -> a.atNanos()).min()
                .orElseThrow();
        long unavailableMs = TimeUnit.NANOSECONDS.toMillis(firstAck - killedAt);
        log.info("Killed leader {} of {}: writes resumed after {} ms", leader, target, unavailableMs);
        cluster.start(leader);
        return unavailableMs;
    }

    private void killAndRestartAFollower(ClusterProcesses cluster, PartitionTraffic target) throws Exception {
        int follower = aFollower(target);
        cluster.node(follower).kill();
        cluster.forget(follower);
        log.info("Killed follower {}", follower);
        cluster.start(follower);
    }

    /** SIGSTOP a follower until the leader has taken it out of the ISR, then SIGCONT. */
    private void pauseAFollowerPastTheLagTime(ClusterProcesses cluster, PartitionTraffic target) throws Exception {
        int follower = aFollower(target);
        cluster.node(follower).pause();
        log.info("Paused follower {}", follower);
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> target.metadata()
                    .map(p -> !p.getIsrList().contains(follower)).orElse(false));
        } finally {
            cluster.node(follower).resume();
        }
        log.info("Follower {} left the ISR after lagging more than {} ms; resumed", follower, LAG_TIME_MAX_MS);
    }

    private static int aFollower(PartitionTraffic target) {
        PartitionMetadata state = target.metadata().orElseThrow();
        return state.getIsrList().stream().filter(r -> r != state.getLeaderId()).findFirst().orElseThrow();
    }

    /** Every partition has a leader and all three replicas in sync. */
    private static void awaitHealthy(List<PartitionTraffic> traffic) {
        await().atMost(90, TimeUnit.SECONDS).until(() -> traffic.stream().allMatch(t -> t.metadata()
                .map(p -> p.getLeaderId() >= 0 && p.getIsrCount() == 3).orElse(false)));
    }

    private static void awaitProgress(List<PartitionTraffic> traffic, int writes) {
        List<Integer> before = traffic.stream().map(t -> t.acks().size()).toList();
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            for (int i = 0; i < traffic.size(); i++) {
                if (traffic.get(i).acks().size() < before.get(i) + writes) {
                    return false;
                }
            }
            return true;
        });
    }

    private void verify(ClusterProcesses cluster, List<PartitionTraffic> traffic, List<Long> unavailableMs,
                        int rounds) throws Exception {
        awaitHealthy(traffic);
        int checked = 0;
        List<Long> highWatermarks = new ArrayList<>();
        for (PartitionTraffic partition : traffic) {
            assertEquals(List.of(), partition.violations());
            // The controller may still be moving leaderships back to preferred replicas: read again then.
            long[] highWatermark = new long[1];
            Map<Long, String> log = await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
                highWatermark[0] = partition.highWatermark();
                return partition.readAll(highWatermark[0]);
            }, values -> values.size() == highWatermark[0]);
            highWatermarks.add(highWatermark[0]);
            for (PartitionTraffic.Ack ack : partition.acks()) {
                assertEquals(ack.value(), log.get(ack.offset()), "acknowledged " + ack);
                checked++;
            }
            partition.seen().forEach((offset, value) -> assertEquals(value, log.get(offset),
                    "what a reader saw at offset " + offset + " is still there"));
        }
        for (int id : BROKERS) {
            assertEquals(143, cluster.node(id).terminate(), "broker " + id + " stops cleanly");
            cluster.forget(id);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertReplicasIdentical(p, highWatermarks.get(p));
        }
        unavailableMs.sort(null);
        log.info("Replication under faults: {} acknowledged writes checked over {} partitions, {} fault rounds, "
                        + "{} leader failovers; writes unavailable per failover: median {} ms, max {} ms, all {}",
                checked, PARTITIONS, rounds, unavailableMs.size(),
                unavailableMs.isEmpty() ? 0 : unavailableMs.get(unavailableMs.size() / 2),
                unavailableMs.isEmpty() ? 0 : unavailableMs.get(unavailableMs.size() - 1), unavailableMs);
        assertTrue(checked > 0);
    }

    /** Each broker's log of partition {@code p}, read from its files, holds the same bytes below the high watermark. */
    private void assertReplicasIdentical(int p, long highWatermark) {
        ByteBuffer reference = null;
        try (Scheduler scheduler = Scheduler.threadPool("verify", 1)) {
            for (int id : BROKERS) {
                try (Log replica = Log.builder(dir.resolve("data-" + id).resolve(TOPIC + "-" + p)).scheduler(scheduler)
                        .hadCleanShutdown(true).build()) {
                    assertTrue(replica.logEndOffset() >= highWatermark, "broker " + id + " holds " + TOPIC + "-" + p
                            + " up to the high watermark " + highWatermark);
                    ByteBuffer bytes = replica.read(0, Integer.MAX_VALUE, highWatermark, true).records();
                    if (reference == null) {
                        reference = bytes;
                    } else {
                        assertEquals(reference, bytes, "broker " + id + "'s " + TOPIC + "-" + p + " below " + highWatermark);
                    }
                }
            }
        }
    }
}
