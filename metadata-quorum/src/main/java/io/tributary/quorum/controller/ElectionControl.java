package io.tributary.quorum.controller;

import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.ElectionNotNeededException;
import io.tributary.common.errors.EligibleLeadersNotAvailableException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.PreferredLeaderNotAvailableException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.ElectionResult;
import io.tributary.proto.v1.ElectionType;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.TopicPartitionRef;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Leader elections asked for by an administrator ({@code tributary leader-election}): preferred
 * (the first replica leads again, if it is in sync and alive) and unclean (a leaderless partition
 * gets a live replica even if it is out of sync, which can lose acknowledged records). Pure: records
 * plus a per-partition response.
 */
public final class ElectionControl {

    /**
     * @param live whether a broker may lead now (registered, unfenced, not shutting down, heard from)
     * @throws InvalidRequestException when the election type is missing or a partition is named twice
     */
    public ControllerResult<ElectLeadersResponse> electLeaders(MetadataImage image, ElectLeadersRequest request,
                                                               IntPredicate live) {
        if (request.getElectionType() != ElectionType.ELECTION_TYPE_PREFERRED
                && request.getElectionType() != ElectionType.ELECTION_TYPE_UNCLEAN) {
            throw new InvalidRequestException("election_type must be PREFERRED or UNCLEAN (got "
                    + request.getElectionType() + ")");
        }
        List<MetadataRecord> records = new ArrayList<>();
        ElectLeadersResponse.Builder response = ElectLeadersResponse.newBuilder();
        for (TopicPartitionRef ref : requested(image, request)) {
            ElectionResult.Builder result = ElectionResult.newBuilder().setTopic(ref.getTopic())
                    .setPartition(ref.getPartition()).setErrorCode(ErrorCode.ERROR_CODE_NONE);
            try {
                records.add(elect(image, ref, request.getElectionType() == ElectionType.ELECTION_TYPE_PREFERRED, live));
            } catch (ApiException e) {
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            }
            response.addResults(result);
        }
        return new ControllerResult<>(records, response.build());
    }

    private static List<TopicPartitionRef> requested(MetadataImage image, ElectLeadersRequest request) {
        if (request.getPartitionsCount() > 0) {
            Set<String> seen = new HashSet<>();
            for (TopicPartitionRef ref : request.getPartitionsList()) {
                if (!seen.add(ref.getTopic() + "-" + ref.getPartition())) {
                    throw new InvalidRequestException("partitions names " + ref.getTopic() + "-" + ref.getPartition()
                            + " more than once");
                }
            }
            return request.getPartitionsList();
        }
        List<TopicPartitionRef> all = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().keySet().forEach(p -> all.add(TopicPartitionRef.newBuilder().setTopic(topic.name())
                    .setPartition(p).build()));
        }
        return all;
    }

    private static MetadataRecord elect(MetadataImage image, TopicPartitionRef ref, boolean preferred,
                                        IntPredicate live) {
        TopicImage topic = image.topic(ref.getTopic()).orElse(null);
        PartitionImage partition = topic == null ? null : topic.partitions().get(ref.getPartition());
        if (partition == null) {
            throw new UnknownTopicOrPartitionException("partition " + ref.getTopic() + "-" + ref.getPartition()
                    + " does not exist");
        }
        if (preferred) {
            return electPreferred(topic, partition, live);
        }
        String name = ref.getTopic() + "-" + ref.getPartition();
        if (partition.leader() >= 0) {
            throw new ElectionNotNeededException(name + " has a leader, node " + partition.leader());
        }
        int clean = PartitionLeadership.electLeader(partition.replicas(), partition.isr(), live);
        if (clean >= 0) {
            return PartitionLeadership.change(topic.topicId(), partition, partition.isr(), clean);
        }
        return PartitionLeadership.electUnclean(topic, partition, live).orElseThrow(() ->
                new EligibleLeadersNotAvailableException("no replica of " + name + " " + partition.replicas()
                        + " is alive"));
    }

    /**
     * Gives the partition back to its preferred (first) replica, which must be in sync and live.
     *
     * @throws ElectionNotNeededException when the preferred replica already leads
     * @throws PreferredLeaderNotAvailableException when it is out of sync or not live
     */
    static MetadataRecord electPreferred(TopicImage topic, PartitionImage partition, IntPredicate live) {
        String name = topic.name() + "-" + partition.partition();
        int first = partition.replicas().get(0);
        if (partition.leader() == first) {
            throw new ElectionNotNeededException("the preferred replica " + first + " already leads " + name);
        }
        if (!partition.isr().contains(first) || !live.test(first)) {
            throw new PreferredLeaderNotAvailableException("the preferred replica " + first + " of " + name
                    + " is not " + (partition.isr().contains(first) ? "alive" : "in sync"));
        }
        return PartitionLeadership.change(topic.topicId(), partition, partition.isr(), first);
    }
}
