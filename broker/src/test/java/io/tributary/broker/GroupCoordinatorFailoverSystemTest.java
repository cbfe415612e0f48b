package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.OffsetFetchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the broker coordinating a group while its members consume and commit: the members
 * find the new coordinator and carry on, every acknowledged commit survives, and no member ever
 * resumes a partition below an offset whose commit was acknowledged.
 */
@Tag("system")
class GroupCoordinatorFailoverSystemTest {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorFailoverSystemTest.class);
    private static final String TOPIC = "events";
    private static final String GROUP = "failover-group";
    private static final int PARTITIONS = 6;
    private static final List<Integer> BROKERS = List.of(1, 2, 3);

    @TempDir
    Path dir;

    @Test
    void membersFollowTheCoordinatorAcrossAKillAndCommitsNeverGoBack() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(dir, 3, 3, Map.of("broker.heartbeat.interval.ms", "300",
                "broker.session.timeout.ms", "4000", "offsets.topic.num.partitions", "1",
                "offsets.topic.replication.factor", "3", "group.min.session.timeout.ms", "1000",
                "group.consumer.heartbeat.interval.ms", "200", "replica.fetch.wait.max.ms", "100"))) {
            cluster.startAll();
            assertEquals(ErrorCode.ERROR_CODE_NONE, cluster.admin(1).createTopics(CreateTopicsRequest.newBuilder()
                    .addTopics(NewTopic.newBuilder().setName(TOPIC).setNumPartitions(PARTITIONS).setReplicationFactor(3))
                    .build()).getTopics(0).getErrorCode());
            Map<Integer, Long> acked = new ConcurrentHashMap<>();
            List<String> backwards = new CopyOnWriteArrayList<>();
            GroupMemberLoop.Observer observer = new GroupMemberLoop.Observer() {
                @Override
                public void committed(int partition, long offset) {
                    acked.merge(partition, offset, Math::max);
                }

                @Override
                public void resumed(int partition, long committedOffset) {
                    long ackedOffset = acked.getOrDefault(partition, -1L);
                    if (committedOffset < ackedOffset) {
                        backwards.add("partition " + partition + " resumed at " + committedOffset
                                + " after a commit of " + ackedOffset + " was acknowledged");
                    }
                }
            };
            List<GroupMemberLoop> members = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                GroupMemberLoop member = new GroupMemberLoop(GROUP, "member-" + i, TOPIC, BROKERS,
                        id -> stub(cluster, id), observer);
                members.add(member);
                threads.add(Thread.ofPlatform().name("member-" + i).start(member));
            }
            awaitEveryPartitionProgresses(acked, 5);

            int coordinator = coordinatorOf(cluster);
            long killedAt = System.nanoTime();
            cluster.node(coordinator).kill();
            cluster.forget(coordinator);
            log.info("Killed the coordinator, broker {}", coordinator);
            await().atMost(60, TimeUnit.SECONDS).until(() -> coordinatorOf(cluster) != coordinator);
            awaitEveryPartitionProgresses(acked, 10);
            log.info("Every partition's commits moved on {} ms after the kill",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            cluster.start(coordinator);
            awaitEveryPartitionProgresses(acked, 5);

            members.forEach(GroupMemberLoop::stop);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(backwards.isEmpty(), String.join("; ", backwards));
            int finalCoordinator = coordinatorOf(cluster);
            var committed = stub(cluster, finalCoordinator).offsetFetch(OffsetFetchRequest.newBuilder().setGroupId(GROUP)
                    .build()).getOffsetsList();
            assertEquals(PARTITIONS, committed.size());
            for (var offset : committed) {
                assertTrue(offset.getCommittedOffset() >= acked.get(offset.getPartition()), "partition "
                        + offset.getPartition() + " committed " + offset.getCommittedOffset() + " < acknowledged "
                        + acked.get(offset.getPartition()));
            }
        }
    }

    private static void awaitEveryPartitionProgresses(Map<Integer, Long> acked, int commits) {
        Map<Integer, Long> before = Map.copyOf(acked);
        await().atMost(90, TimeUnit.SECONDS).until(() -> {
            for (int p = 0; p < PARTITIONS; p++) {
                if (acked.getOrDefault(p, -1L) < before.getOrDefault(p, -1L) + commits) {
                    return false;
                }
            }
            return true;
        });
    }

    private static int coordinatorOf(ClusterProcesses cluster) {
        for (int broker : BROKERS) {
            if (cluster.node(broker) == null) {
                continue;
            }
            try {
                var answer = stub(cluster, broker).findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds(GROUP)
                        .build()).getCoordinators(0);
                if (answer.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    return answer.getNode().getNodeId();
                }
            } catch (RuntimeException e) {
                log.debug("Broker {} did not answer: {}", broker, e.getMessage());
            }
        }
        return -1;
    }

    private static GroupServiceGrpc.GroupServiceBlockingStub stub(ClusterProcesses cluster, int brokerId) {
        return GroupServiceGrpc.newBlockingStub(cluster.channel(brokerId)).withDeadlineAfter(5, TimeUnit.SECONDS);
    }
}
