package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.common.TopicPartition;
import io.tributary.proto.coordinator.v1.RecordKey;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupMember;
import io.tributary.proto.v1.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One seeded run of a coordinator shard under random traffic from {@link SimulatedConsumer}s of two
 * groups: joins, heartbeats (releasing when told, sometimes late), subscription and assignor
 * changes, leaves, static leaves and takeovers, lost answers, zombie epochs, commits, offset and
 * group deletions, topic growth and creation, expiries and failovers.
 *
 * <p>Every record the leader returns is replayed into a follower; after every step the follower must
 * describe, list and fetch exactly what the leader does, and the leader's groups must hold the
 * invariants (no partition with two members, assignments within subscriptions). A failover makes
 * the follower the leader (loaded with {@code onLoaded}), builds the next follower from the
 * compacted log, and runs the old leader in lockstep with the new one for a while: both must answer
 * every request identically, which also compares the state descriptions do not show.
 */
final class GroupShardSimulation {

    static final List<String> GROUPS = List.of("g0", "g1");
    private static final List<Subscription> SUBSCRIPTIONS = List.of(names("a"), names("a", "b"), names("b"),
            names("a", "late"), regex("a.*"), regex("[ab].*"));
    private static final List<String> NEW_TOPICS = List.of("a2", "b2", "late", "zz");
    private static final List<String> ASSIGNORS = List.of("sticky", "range", "roundrobin");

    final SimulationStats stats;
    private final Random random;
    private final String seedContext;
    private final GroupCoordinatorConfig config = ShardHarness.config(60_000, 20_000);
    private GroupCoordinatorShard leader = new GroupCoordinatorShard(config);
    private GroupCoordinatorShard follower = new GroupCoordinatorShard(config);
    private GroupCoordinatorShard oldLeader;
    private int lockstepSteps;
    private final List<CoordinatorRecord> log = new ArrayList<>();
    private final Map<String, Integer> topics = new TreeMap<>(Map.of("a", 4, "b", 3));
    private final List<SimulatedConsumer> consumers = new ArrayList<>();
    private long now;
    private String context = "";

    GroupShardSimulation(long seed, String seedContext, SimulationStats stats) {
        this.random = new Random(seed);
        this.seedContext = seedContext;
        this.stats = stats;
        consumers.add(consumer("c0", "g0", ""));
        consumers.add(consumer("c1", "g0", ""));
        consumers.add(consumer("c2", "g0", "instance-2"));
        consumers.add(consumer("c3", "g0", "instance-3"));
        consumers.add(consumer("c4", "g1", ""));
        consumers.add(consumer("c5", "g1", "instance-5"));
        consumers.add(consumer("c6", "g1", ""));
    }

    private SimulatedConsumer consumer(String name, String groupId, String instanceId) {
        return new SimulatedConsumer(name, groupId, instanceId, pick(SUBSCRIPTIONS),
                pick(List.of(0, 20_000, 60_000)));
    }

    void run(int steps) {
        for (int step = 0; step < steps; step++) {
            now += random.nextInt(1_000);
            context = seedContext + " step=" + step + " now=" + now;
            step();
            assertFollowerMatchesLeader();
            assertInvariants();
        }
        assertRebuiltFromLogMatchesLeader();
    }

    private void step() {
        int r = random.nextInt(100);
        SimulatedConsumer consumer = pick(consumers);
        if (r < 45) {
            pollOrJoin(consumer, false);
        } else if (r < 48) {
            pollOrJoin(consumer, true);
        } else if (r < 53) {
            leave(consumer, -1);
        } else if (r < 58) {
            leave(consumer, -2);
        } else if (r < 68) {
            memberCommit(consumer);
        } else if (r < 71) {
            GroupShardOperations.nonMemberCommit(this, pick(GROUPS), randomPartition());
        } else if (r < 74) {
            zombieHeartbeat(consumer);
        } else if (r < 78) {
            changeTopics();
        } else if (r < 89) {
            advanceAndExpire();
        } else if (r < 93) {
            GroupShardOperations.deleteOffsets(this, pick(GROUPS), pick(new ArrayList<>(topics.keySet())));
        } else if (r < 95) {
            GroupShardOperations.deleteGroup(this, pick(GROUPS));
        } else {
            failover();
        }
    }

    // ---- membership ----

    private void pollOrJoin(SimulatedConsumer consumer, boolean loseAnswer) {
        if (!consumer.joined) {
            join(consumer);
            return;
        }
        context += " heartbeat " + consumer;
        ConsumerGroupHeartbeatRequest.Builder request = consumer.heartbeatRequest(random.nextInt(10) < 8);
        if (random.nextInt(20) == 0) {
            consumer.subscription = pick(SUBSCRIPTIONS);
            request.setSubscription(consumer.subscription);
        }
        if (random.nextInt(30) == 0) {
            consumer.assignor = pick(ASSIGNORS);
            request.setServerAssignor(consumer.assignor);
        }
        if (random.nextInt(30) == 0) {
            request.setRebalanceRequested(true);
        }
        if (random.nextInt(20) == 0 && !request.hasOwnedPartitions()) {
            request.setOwnedPartitions(consumer.ownedPartitions());
        }
        ConsumerGroupHeartbeatResponse response = heartbeat(request.build());
        if (loseAnswer) {
            consumer.reportOwned = true;
            stats.lostAnswers++;
            return;
        }
        switch (response.getErrorCode()) {
            case ERROR_CODE_NONE -> {
                int releasing = consumer.toRelease.size();
                consumer.answered(response);
                if (consumer.toRelease.size() > releasing) {
                    stats.revocations++;
                }
            }
            case ERROR_CODE_FENCED_MEMBER_EPOCH, ERROR_CODE_UNKNOWN_MEMBER_ID -> {
                stats.fencedOrUnknown++;
                consumer.reset(false);
            }
            default -> fail(context + ": unexpected answer " + response);
        }
    }

    private void join(SimulatedConsumer consumer) {
        if (consumer.memberId == null) {
            consumer.memberId = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        context += " join " + consumer;
        boolean takeover = consumer.isStatic() && hasMemberWithInstance(consumer.groupId, consumer.instanceId);
        ConsumerGroupHeartbeatResponse response = heartbeat(consumer.joinRequest());
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), context + ": " + response);
        consumer.answered(response);
        stats.joins++;
        if (takeover) {
            stats.staticTakeovers++;
        }
    }

    private void leave(SimulatedConsumer consumer, int leaveEpoch) {
        if (!consumer.joined || (leaveEpoch == -2 && !consumer.isStatic())) {
            pollOrJoin(consumer, false);
            return;
        }
        context += " leave(" + leaveEpoch + ") " + consumer;
        ConsumerGroupHeartbeatResponse response = heartbeat(consumer.leaveRequest(leaveEpoch));
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), context + ": " + response);
        assertEquals(leaveEpoch, response.getMemberEpoch(), context);
        consumer.reset(leaveEpoch == -2 || random.nextBoolean());
        stats.leaves++;
    }

    /** A heartbeat at an epoch the coordinator never gave: fenced, nothing written. */
    private void zombieHeartbeat(SimulatedConsumer consumer) {
        GroupMember member = describedMember(consumer);
        if (member == null) {
            pollOrJoin(consumer, false);
            return;
        }
        context += " zombie " + consumer;
        ConsumerGroupHeartbeatResponse response = heartbeat(ConsumerGroupHeartbeatRequest.newBuilder()
                .setGroupId(consumer.groupId).setMemberId(consumer.memberId)
                .setMemberEpoch(member.getMemberEpoch() + 1 + random.nextInt(3)).build());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, response.getErrorCode(), context + ": " + response);
        stats.zombies++;
    }

    private ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request) {
        CoordinatorResult<ConsumerGroupHeartbeatResponse> result =
                run(shard -> shard.heartbeat(request, ShardHarness.CLIENT_HOST, now, topics));
        if (result.response().getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            assertTrue(result.records().isEmpty(), context + ": a refused heartbeat wrote " + result.records());
        }
        return result.response();
    }

    private void memberCommit(SimulatedConsumer consumer) {
        if (!consumer.joined || consumer.held.isEmpty()) {
            pollOrJoin(consumer, false);
            return;
        }
        context += " commit " + consumer;
        GroupShardOperations.memberCommit(this, consumer, randomPartition());
    }

    // ---- topics, time, failover ----

    private void changeTopics() {
        List<String> missing = NEW_TOPICS.stream().filter(t -> !topics.containsKey(t)).toList();
        if (!missing.isEmpty() && random.nextBoolean()) {
            String created = pick(missing);
            topics.put(created, 1 + random.nextInt(4));
            context += " create " + created;
        } else {
            String grown = pick(new ArrayList<>(topics.keySet()));
            topics.merge(grown, 1 + random.nextInt(2), (a, b) -> Math.min(12, a + b));
            context += " grow " + grown;
        }
        stats.topicChanges++;
    }

    private void advanceAndExpire() {
        now += random.nextInt(10) < 9 ? random.nextInt(5_000) : 20_000 + random.nextInt(50_000);
        context += " expire at " + now;
        oldLeader = null; // timers are not replicated: the old leader's would expire differently
        Set<String> before = allMemberIds();
        List<CoordinatorRecord> records = leader.expire(now, topics);
        record(records);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(allMemberIds());
        stats.expiredMembers += removed.size();
        stats.expiredOffsets += (int) records.stream()
                .filter(r -> r.isTombstone() && r.key().getKeyCase() == RecordKey.KeyCase.OFFSET_COMMIT).count();
    }

    private void failover() {
        context += " failover";
        assertRebuiltFromLogMatchesLeader();
        GroupCoordinatorShard next = follower;
        next.onLoaded(now);
        oldLeader = leader;
        lockstepSteps = 3 + random.nextInt(25);
        leader = next;
        follower = rebuilt(compact(log, random.nextBoolean()));
        stats.failovers++;
    }

    private void assertRebuiltFromLogMatchesLeader() {
        ShardHarness.assertSameState(leader, rebuilt(log), GROUPS, context + " (replayed from the whole log)");
        ShardHarness.assertSameState(leader, rebuilt(compact(log, false)), GROUPS,
                context + " (replayed from the compacted log)");
        ShardHarness.assertSameState(leader, rebuilt(compact(log, true)), GROUPS,
                context + " (replayed from the compacted log without tombstones)");
    }

    private GroupCoordinatorShard rebuilt(List<CoordinatorRecord> records) {
        GroupCoordinatorShard shard = new GroupCoordinatorShard(config);
        records.forEach(shard::replay);
        return shard;
    }

    /** The log after compaction: each key's latest record, in log order; tombstones optionally dropped. */
    static List<CoordinatorRecord> compact(List<CoordinatorRecord> records, boolean dropTombstones) {
        Map<RecordKey, Integer> latest = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            latest.put(records.get(i).key(), i);
        }
        List<CoordinatorRecord> compacted = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            CoordinatorRecord record = records.get(i);
            if (latest.get(record.key()) == i && !(dropTombstones && record.isTombstone())) {
                compacted.add(record);
            }
        }
        return compacted;
    }

    // ---- plumbing shared with GroupShardOperations ----

    /** Runs an operation on the leader (and, right after a failover, on the old leader, which must agree). */
    <T> CoordinatorResult<T> run(Function<GroupCoordinatorShard, CoordinatorResult<T>> operation) {
        CoordinatorResult<T> result = operation.apply(leader);
        if (oldLeader != null) {
            assertEquals(result, operation.apply(oldLeader), context + ": the old and the new leader disagree");
            stats.lockstepOperations++;
            if (--lockstepSteps == 0) {
                oldLeader = null;
            }
        }
        record(result.records());
        return result;
    }

    private void record(List<CoordinatorRecord> records) {
        for (CoordinatorRecord record : records) {
            CoordinatorRecord read = ShardHarness.throughTheLog(record);
            log.add(read);
            follower.replay(read);
        }
    }

    GroupCoordinatorShard leader() {
        return leader;
    }

    long now() {
        return now;
    }

    Map<String, Integer> topics() {
        return topics;
    }

    String context() {
        return context;
    }

    Random random() {
        return random;
    }

    private TopicPartition randomPartition() {
        String topic = random.nextInt(10) == 0 ? "missing" : pick(new ArrayList<>(topics.keySet()));
        return new TopicPartition(topic, random.nextInt(topics.getOrDefault(topic, 1) + 1));
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static Subscription names(String... topicNames) {
        return Subscription.newBuilder().addAllTopicNames(List.of(topicNames)).build();
    }

    private static Subscription regex(String regex) {
        return Subscription.newBuilder().setTopicRegex(regex).build();
    }

    // ---- checks ----

    private void assertFollowerMatchesLeader() {
        ShardHarness.assertSameState(leader, follower, GROUPS, context + " (follower)");
    }

    /**
     * No partition with two members (described, or consumed by live consumers); every target within
     * its member's subscription; and a member at the assignment epoch owns only its target. (A member
     * still to release partitions keeps its assignment, even of a topic it just unsubscribed from,
     * until it releases; so the subscription bounds its assignment only once it reaches the epoch.)
     */
    private void assertInvariants() {
        for (String groupId : GROUPS) {
            GroupDescription group = leader.describeGroup(groupId, ShardHarness.COORDINATOR_ID);
            Map<String, Set<TopicPartition>> assigned = new TreeMap<>();
            for (GroupMember member : group.getMembersList()) {
                Set<TopicPartition> assignment = ShardHarness.partitions(member.getAssignmentList());
                Set<TopicPartition> target = ShardHarness.partitions(member.getTargetAssignmentList());
                assigned.put(member.getMemberId(), assignment);
                for (TopicPartition tp : target) {
                    assertTrue(subscribes(member.getSubscription(), tp), context + ": member " + member.getMemberId()
                            + " has target " + tp + " outside its subscription " + member.getSubscription());
                }
                if (member.getMemberEpoch() == group.getAssignmentEpoch()) {
                    assertTrue(target.containsAll(assignment), context + ": member " + member.getMemberId()
                            + " at the assignment epoch owns more than its target: " + member);
                }
            }
            ShardHarness.assertDisjoint(context + ": described assignments of " + groupId, assigned);
            if (group.getState().equals("Stable") && group.getMembersCount() > 1) {
                stats.stableGroupsSeen++;
            }
            Map<String, Set<TopicPartition>> held = new TreeMap<>();
            for (SimulatedConsumer consumer : consumers) {
                if (consumer.groupId.equals(groupId) && consumer.joined && assigned.containsKey(consumer.memberId)) {
                    held.put(consumer.name, consumer.held);
                }
            }
            ShardHarness.assertDisjoint(context + ": partitions consumed in " + groupId, held);
        }
    }

    private boolean subscribes(Subscription subscription, TopicPartition tp) {
        Integer count = topics.get(tp.topic());
        boolean topicMatches = subscription.getTopicRegex().isEmpty()
                ? subscription.getTopicNamesList().contains(tp.topic())
                : Pattern.compile(subscription.getTopicRegex()).matcher(tp.topic()).matches();
        return topicMatches && count != null && tp.partition() < count;
    }

    GroupMember describedMember(SimulatedConsumer consumer) {
        if (consumer.memberId == null) {
            return null;
        }
        return leader.describeGroup(consumer.groupId, ShardHarness.COORDINATOR_ID).getMembersList().stream()
                .filter(m -> m.getMemberId().equals(consumer.memberId)).findFirst().orElse(null);
    }

    private boolean hasMemberWithInstance(String groupId, String instanceId) {
        return leader.describeGroup(groupId, ShardHarness.COORDINATOR_ID).getMembersList().stream()
                .anyMatch(m -> m.getInstanceId().equals(instanceId));
    }

    private Set<String> allMemberIds() {
        Set<String> ids = new TreeSet<>();
        for (String groupId : GROUPS) {
            leader.describeGroup(groupId, ShardHarness.COORDINATOR_ID).getMembersList()
                    .forEach(m -> ids.add(groupId + "/" + m.getMemberId()));
        }
        return ids;
    }
}
