package io.tributary.client.admin.internal;

import io.tributary.client.Node;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupMember;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetFetchResponse;
import io.tributary.proto.v1.TopicPartitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Turns GroupService messages into the public admin types and back. Stateless. */
public final class GroupConversions {

    private GroupConversions() {
    }

    public static ConsumerGroupListing listing(GroupListing group) {
        return new ConsumerGroupListing(group.getGroupId(), ConsumerGroupState.parse(group.getState()));
    }

    /** A described group; {@code coordinator} is the node that answered (the coordinator, as it said no otherwise). */
    public static ConsumerGroupDescription description(GroupDescription group, Node coordinator) {
        List<MemberDescription> members = new ArrayList<>();
        for (GroupMember member : group.getMembersList()) {
            members.add(new MemberDescription(member.getMemberId(),
                    member.getInstanceId().isEmpty() ? Optional.empty() : Optional.of(member.getInstanceId()),
                    member.getClientId(), member.getClientHost(), member.getMemberEpoch(),
                    partitions(member.getAssignmentList()), partitions(member.getTargetAssignmentList())));
        }
        return new ConsumerGroupDescription(group.getGroupId(), ConsumerGroupState.parse(group.getState()),
                group.getAssignor(), coordinator, group.getGroupEpoch(), group.getAssignmentEpoch(), members);
    }

    /** The partitions of {@code topics}, in topic and partition order. */
    public static Set<TopicPartition> partitions(List<TopicPartitions> topics) {
        Set<TopicPartition> partitions = new TreeSet<>();
        topics.forEach(t -> t.getPartitionsList().forEach(p -> partitions.add(new TopicPartition(t.getTopic(), p))));
        return partitions;
    }

    /** {@code partitions} grouped by topic, partitions ascending (as the protocol asks). */
    public static List<TopicPartitions> byTopic(Collection<TopicPartition> partitions) {
        Map<String, TreeSet<Integer>> grouped = new TreeMap<>();
        partitions.forEach(tp -> grouped.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition()));
        List<TopicPartitions> topics = new ArrayList<>();
        grouped.forEach((topic, numbers) -> topics.add(TopicPartitions.newBuilder().setTopic(topic)
                .addAllPartitions(numbers).build()));
        return topics;
    }

    /** The offsets to commit, grouped by topic. */
    public static List<OffsetCommitTopic> commitTopics(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<String, OffsetCommitTopic.Builder> grouped = new TreeMap<>();
        offsets.forEach((tp, offset) -> grouped.computeIfAbsent(tp.topic(),
                topic -> OffsetCommitTopic.newBuilder().setTopic(topic)).addPartitions(OffsetCommitPartition.newBuilder()
                .setPartition(tp.partition()).setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(offset.leaderEpoch().orElse(-1)).setMetadata(offset.metadata())));
        return grouped.values().stream().map(OffsetCommitTopic.Builder::build).toList();
    }

    /** The committed offsets of a fetch, leaving out partitions without one (offset -1). */
    public static Map<TopicPartition, OffsetAndMetadata> committed(OffsetFetchResponse response) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>();
        for (CommittedOffset committed : response.getOffsetsList()) {
            if (committed.getCommittedOffset() >= 0) {
                int epoch = committed.getCommittedLeaderEpoch();
                offsets.put(new TopicPartition(committed.getTopic(), committed.getPartition()),
                        new OffsetAndMetadata(committed.getCommittedOffset(),
                                epoch < 0 ? Optional.empty() : Optional.of(epoch), committed.getMetadata()));
            }
        }
        return Collections.unmodifiableMap(offsets);
    }
}
