package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupMember;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link GroupCoordinatorShard} under test together with a follower shard that only replays the
 * records the leader's operations return, a clock and the cluster's topics, plus the request
 * builders the tests share. It remembers what each member was last answered and what each member
 * still holds as a client would (answered partitions plus revoked ones it has not yet reported as
 * released), and checks after every heartbeat that no partition is with two members at once. Clients
 * of members the coordinator removed (expired, replaced) are forgotten: they are zombies, which the
 * protocol fences rather than protects.
 */
final class ShardHarness {

    static final String GROUP = "g";
    static final int COORDINATOR_ID = 1;
    static final String CLIENT_HOST = "/10.0.0.1";
    static final long RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    static final long RETENTION_CHECK_INTERVAL_MS = 600_000;

    final GroupCoordinatorShard leader;
    final GroupCoordinatorShard follower;
    final Map<String, Integer> topics = new TreeMap<>();
    long now;
    private List<CoordinatorRecord> lastRecords = List.of();
    private final Map<String, Integer> epochs = new HashMap<>();
    private final Map<String, Set<TopicPartition>> answered = new TreeMap<>();
    private final Map<String, Set<TopicPartition>> held = new TreeMap<>();

    ShardHarness() {
        this(config(RETENTION_MS, RETENTION_CHECK_INTERVAL_MS));
    }

    ShardHarness(GroupCoordinatorConfig config) {
        leader = new GroupCoordinatorShard(config);
        follower = new GroupCoordinatorShard(config);
    }

    /** The configuration the tests use: 45 s sessions by default, sticky first. */
    static GroupCoordinatorConfig config(long retentionMs, long retentionCheckIntervalMs) {
        return new GroupCoordinatorConfig(6, 1, 45_000, 1, 1_800_000, 5_000, 4096, retentionMs,
                retentionCheckIntervalMs, List.of("sticky", "range", "roundrobin"));
    }

    // ---- operations on the leader, replicated to the follower ----

    ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request) {
        CoordinatorResult<ConsumerGroupHeartbeatResponse> result = leader.heartbeat(request, CLIENT_HOST, now, topics);
        replicate(result.records());
        ConsumerGroupHeartbeatResponse response = result.response();
        String memberId = request.getMemberId();
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE || request.getMemberEpoch() < 0) {
            forgetClient(memberId);
        } else {
            Set<TopicPartition> answer = partitions(response.getAssignmentList());
            Set<TopicPartition> stillHeld = request.hasOwnedPartitions()
                    ? partitions(request.getOwnedPartitions().getTopicsList())
                    : held.getOrDefault(memberId, Set.of());
            Set<TopicPartition> nowHeld = new TreeSet<>(stillHeld);
            nowHeld.addAll(answer);
            epochs.put(memberId, response.getMemberEpoch());
            answered.put(memberId, answer);
            held.put(memberId, nowHeld);
        }
        forgetClientsOfRemovedMembers(); // e.g. a static member replaced by a new instance: a zombie now
        assertNoPartitionWithTwoMembers();
        return response;
    }

    /** A heartbeat at the member's last answered epoch reporting what it was last answered (so releasing the rest). */
    ConsumerGroupHeartbeatResponse poll(String memberId) {
        return heartbeat(heartbeatRequest(memberId, epoch(memberId), answered(memberId)));
    }

    /** Polls every member round-robin until the group is Stable, failing after 10 rounds. */
    void settle(String... memberIds) {
        for (int round = 0; round < 10; round++) {
            for (String memberId : memberIds) {
                poll(memberId);
            }
            if (describe().getState().equals("Stable")) {
                return;
            }
        }
        fail("group did not become Stable: " + describe());
    }

    CoordinatorResult<OffsetCommitResponse> commit(OffsetCommitRequest request) {
        CoordinatorResult<OffsetCommitResponse> result = leader.commitOffsets(request, now, topics);
        replicate(result.records());
        return result;
    }

    CoordinatorResult<OffsetDeleteResponse> deleteOffsets(OffsetDeleteRequest request) {
        CoordinatorResult<OffsetDeleteResponse> result = leader.deleteOffsets(request, topics);
        replicate(result.records());
        return result;
    }

    CoordinatorResult<GroupResult> deleteGroup(String groupId) {
        CoordinatorResult<GroupResult> result = leader.deleteGroup(groupId);
        replicate(result.records());
        return result;
    }

    /** Runs the leader's timers at {@code atMs}; forgets the clients of members it removed. */
    List<CoordinatorRecord> expire(long atMs) {
        now = atMs;
        List<CoordinatorRecord> records = leader.expire(atMs, topics);
        replicate(records);
        forgetClientsOfRemovedMembers();
        return records;
    }

    private void forgetClientsOfRemovedMembers() {
        Set<String> live = memberIds();
        for (String memberId : new ArrayList<>(answered.keySet())) {
            if (!live.contains(memberId)) {
                forgetClient(memberId);
            }
        }
    }

    private void replicate(List<CoordinatorRecord> records) {
        lastRecords = records;
        records.forEach(record -> follower.replay(throughTheLog(record)));
    }

    /** The record as a follower reads it back from __consumer_offsets: serialised, then parsed. */
    static CoordinatorRecord throughTheLog(CoordinatorRecord record) {
        byte[] value = record.valueBytes();
        return CoordinatorRecord.parse(ByteBuffer.wrap(record.keyBytes()), value == null ? null : ByteBuffer.wrap(value));
    }

    private void forgetClient(String memberId) {
        answered.remove(memberId);
        held.remove(memberId);
        epochs.remove(memberId);
    }

    // ---- views ----

    List<CoordinatorRecord> lastRecords() {
        return lastRecords;
    }

    int epoch(String memberId) {
        Integer epoch = epochs.get(memberId);
        assertTrue(epoch != null, () -> "member " + memberId + " has no epoch: it was never answered");
        return epoch;
    }

    Set<TopicPartition> answered(String memberId) {
        return answered.getOrDefault(memberId, Set.of());
    }

    GroupDescription describe() {
        return leader.describeGroup(GROUP, COORDINATOR_ID);
    }

    GroupMember member(String memberId) {
        return describe().getMembersList().stream().filter(m -> m.getMemberId().equals(memberId)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + memberId + " in " + describe()));
    }

    Set<String> memberIds() {
        Set<String> ids = new TreeSet<>();
        describe().getMembersList().forEach(m -> ids.add(m.getMemberId()));
        return ids;
    }

    OffsetFetchResponse fetchAll(GroupCoordinatorShard shard, String groupId) {
        return shard.fetchOffsets(OffsetFetchRequest.newBuilder().setGroupId(groupId).build());
    }

    // ---- checks ----

    /** No partition in two members' answers, in two clients' hands, or in two members' described assignments. */
    void assertNoPartitionWithTwoMembers() {
        assertDisjoint("answered assignments", answered);
        assertDisjoint("partitions held by clients", held);
        Map<String, Set<TopicPartition>> described = new TreeMap<>();
        describe().getMembersList().forEach(m -> described.put(m.getMemberId(), partitions(m.getAssignmentList())));
        assertDisjoint("described assignments", described);
    }

    static void assertDisjoint(String what, Map<String, Set<TopicPartition>> byMember) {
        Map<TopicPartition, String> owner = new HashMap<>();
        byMember.forEach((memberId, partitions) -> partitions.forEach(tp -> {
            String other = owner.putIfAbsent(tp, memberId);
            if (other != null) {
                fail(tp + " is in the " + what + " of both " + other + " and " + memberId + ": " + byMember);
            }
        }));
    }

    /** The follower, fed only the leader's records, describes, lists and fetches exactly as the leader does. */
    void assertFollowerInSync(String... groupIds) {
        assertSameState(leader, follower, List.of(groupIds), "follower");
    }

    static void assertSameState(GroupCoordinatorShard expected, GroupCoordinatorShard actual,
                                Collection<String> groupIds, String context) {
        Set<String> all = new TreeSet<>(groupIds);
        expected.listGroups(Set.of(), COORDINATOR_ID).forEach(l -> all.add(l.getGroupId()));
        actual.listGroups(Set.of(), COORDINATOR_ID).forEach(l -> all.add(l.getGroupId()));
        List<GroupListing> expectedListing = expected.listGroups(Set.of(), COORDINATOR_ID);
        assertEquals(expectedListing, actual.listGroups(Set.of(), COORDINATOR_ID), context + ": listGroups");
        for (String groupId : all) {
            assertEquals(expected.describeGroup(groupId, COORDINATOR_ID), actual.describeGroup(groupId, COORDINATOR_ID),
                    context + ": describeGroup " + groupId);
            OffsetFetchRequest fetch = OffsetFetchRequest.newBuilder().setGroupId(groupId).build();
            assertEquals(expected.fetchOffsets(fetch), actual.fetchOffsets(fetch), context + ": fetchOffsets " + groupId);
        }
        assertEquals(expected.groupCount(), actual.groupCount(), context + ": groupCount");
    }

    // ---- request builders ----

    static ConsumerGroupHeartbeatRequest.Builder joinRequest(String memberId, String... topicNames) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                .setClientId("client-" + memberId)
                .setSubscription(Subscription.newBuilder().addAllTopicNames(List.of(topicNames)))
                .setOwnedPartitions(OwnedPartitions.getDefaultInstance());
    }

    static ConsumerGroupHeartbeatRequest join(String memberId, String... topicNames) {
        return joinRequest(memberId, topicNames).build();
    }

    static ConsumerGroupHeartbeatRequest joinStatic(String memberId, String instanceId, String... topicNames) {
        return joinRequest(memberId, topicNames).setInstanceId(instanceId).build();
    }

    /** A heartbeat that does not report owned partitions (a member that has not released anything). */
    static ConsumerGroupHeartbeatRequest heartbeatRequest(String memberId, int epoch) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(GROUP).setMemberId(memberId)
                .setMemberEpoch(epoch).build();
    }

    static ConsumerGroupHeartbeatRequest heartbeatRequest(String memberId, int epoch, Set<TopicPartition> owned) {
        return heartbeatRequest(memberId, epoch).toBuilder()
                .setOwnedPartitions(OwnedPartitions.newBuilder().addAllTopics(topicPartitions(owned))).build();
    }

    static ConsumerGroupHeartbeatRequest leave(String memberId, int epoch) {
        return heartbeatRequest(memberId, epoch);
    }

    static OffsetCommitRequest commitRequest(String memberId, int epoch, String topic, int partition, long offset,
                                             String metadata) {
        return OffsetCommitRequest.newBuilder().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch)
                .addTopics(OffsetCommitTopic.newBuilder().setTopic(topic).addPartitions(OffsetCommitPartition
                        .newBuilder().setPartition(partition).setCommittedOffset(offset).setCommittedLeaderEpoch(3)
                        .setMetadata(metadata)))
                .build();
    }

    static OffsetCommitRequest commitRequest(String memberId, int epoch, TopicPartition tp, long offset) {
        return commitRequest(memberId, epoch, tp.topic(), tp.partition(), offset, "");
    }

    static OffsetDeleteRequest deleteOffsetsRequest(String groupId, String topic, int... partitions) {
        TopicPartitions.Builder tps = TopicPartitions.newBuilder().setTopic(topic);
        for (int partition : partitions) {
            tps.addPartitions(partition);
        }
        return OffsetDeleteRequest.newBuilder().setGroupId(groupId).addTopics(tps).build();
    }

    // ---- partitions ----

    static Set<TopicPartition> tps(String topic, int... partitions) {
        Set<TopicPartition> result = new TreeSet<>();
        for (int partition : partitions) {
            result.add(new TopicPartition(topic, partition));
        }
        return result;
    }

    static Set<TopicPartition> allPartitions(String topic, int count) {
        Set<TopicPartition> result = new TreeSet<>();
        for (int partition = 0; partition < count; partition++) {
            result.add(new TopicPartition(topic, partition));
        }
        return result;
    }

    static Set<TopicPartition> partitions(List<TopicPartitions> topics) {
        Set<TopicPartition> result = new TreeSet<>();
        for (TopicPartitions topic : topics) {
            for (int partition : topic.getPartitionsList()) {
                result.add(new TopicPartition(topic.getTopic(), partition));
            }
        }
        return result;
    }

    static List<TopicPartitions> topicPartitions(Set<TopicPartition> partitions) {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition()));
        List<TopicPartitions> result = new ArrayList<>();
        byTopic.forEach((topic, numbers) -> result.add(TopicPartitions.newBuilder().setTopic(topic)
                .addAllPartitions(numbers).build()));
        return result;
    }

    static Set<TopicPartition> union(Set<TopicPartition> a, Set<TopicPartition> b) {
        Set<TopicPartition> result = new TreeSet<>();
        result.addAll(a);
        result.addAll(b);
        return result;
    }

    static Set<TopicPartition> minus(Set<TopicPartition> a, Set<TopicPartition> b) {
        Set<TopicPartition> result = new TreeSet<>();
        result.addAll(a);
        result.removeAll(b);
        return result;
    }
}
