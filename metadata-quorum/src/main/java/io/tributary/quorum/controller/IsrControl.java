package io.tributary.quorum.controller;

import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.FencedLeaderEpochException;
import io.tributary.common.errors.IneligibleReplicaException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.InvalidUpdateVersionException;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ISR changes asked for by partition leaders (AlterPartition, DESIGN.md §5): a leader drops a
 * follower that fell behind and adds back one that caught up. Each change names the leader epoch
 * and partition epoch it was computed from, so a change from a deposed leader, or one computed from
 * a partition state the controller has replaced since (a fencing, another ISR change), is refused
 * instead of overwriting it. Only the ISR changes: the leader and leader epoch stay, the partition
 * epoch goes up by one.
 *
 * <p>Pure: records plus a per-change result, in request order; each change succeeds or fails on its
 * own, except that a stale broker epoch fails the whole request.
 */
final class IsrControl {

    private static final Logger log = LoggerFactory.getLogger(IsrControl.class);

    /**
     * @throws io.tributary.common.errors.StaleBrokerEpochException when {@code broker_epoch} is not the
     *         broker's current registration epoch
     */
    ControllerResult<AlterPartitionResponse> alterPartition(MetadataImage image, AlterPartitionRequest request) {
        BrokerControl.requireEpoch(image, request.getBrokerId(), request.getBrokerEpoch());
        List<MetadataRecord> records = new ArrayList<>();
        AlterPartitionResponse.Builder response = AlterPartitionResponse.newBuilder();
        Set<String> seen = new HashSet<>();
        for (IsrChange change : request.getChangesList()) {
            IsrChangeResult.Builder result = IsrChangeResult.newBuilder().setTopicId(change.getTopicId())
                    .setPartition(change.getPartition());
            try {
                if (!seen.add(change.getTopicId() + ":" + change.getPartition())) {
                    throw new InvalidRequestException("partition " + change.getPartition() + " of topic id "
                            + change.getTopicId() + " is changed more than once in one request");
                }
                TopicImage topic = image.topicById(change.getTopicId()).orElse(null);
                PartitionImage partition = topic == null ? null : topic.partitions().get(change.getPartition());
                if (partition == null) {
                    throw new UnknownTopicOrPartitionException("partition " + change.getPartition() + " of topic id "
                            + change.getTopicId() + " does not exist");
                }
                nextState(image, request.getBrokerId(), topic, partition, change, result).ifPresent(records::add);
            } catch (ApiException e) {
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            }
            response.addResults(result);
        }
        return new ControllerResult<>(records, response.build());
    }

    /** Validates one change and fills its result: the record to commit, or none when the ISR stays. */
    private static Optional<MetadataRecord> nextState(MetadataImage image, int brokerId, TopicImage topic,
                                                     PartitionImage partition, IsrChange change,
                                                     IsrChangeResult.Builder result) {
        String name = topic.name() + "-" + partition.partition();
        if (partition.leader() != brokerId) {
            throw new NotLeaderOrFollowerException("broker " + brokerId + " does not lead " + name + "; "
                    + (partition.leader() < 0 ? "it has no leader" : "broker " + partition.leader() + " does"));
        }
        if (change.getLeaderEpoch() != partition.leaderEpoch()) {
            throw new FencedLeaderEpochException("the change to " + name + " is for leader epoch "
                    + change.getLeaderEpoch() + " but the leader epoch is " + partition.leaderEpoch());
        }
        if (change.getPartitionEpoch() != partition.partitionEpoch()) {
            throw new InvalidUpdateVersionException("the change to " + name + " was computed from partition epoch "
                    + change.getPartitionEpoch() + " but the partition is at epoch " + partition.partitionEpoch()
                    + "; recompute it from the current state");
        }
        List<Integer> newIsr = change.getNewIsrList();
        validateNewIsr(image, name, partition, newIsr);
        result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
        if (Set.copyOf(newIsr).equals(Set.copyOf(partition.isr()))) {
            result.setLeader(partition.leader()).setLeaderEpoch(partition.leaderEpoch())
                    .setPartitionEpoch(partition.partitionEpoch()).addAllIsr(partition.isr());
            return Optional.empty();
        }
        MetadataRecord record = PartitionLeadership.change(topic.topicId(), partition, newIsr, partition.leader());
        PartitionRecord next = record.getPartition();
        result.setLeader(next.getLeader()).setLeaderEpoch(next.getLeaderEpoch())
                .setPartitionEpoch(next.getPartitionEpoch()).addAllIsr(next.getIsrList());
        return Optional.of(record);
    }

    /**
     * A new ISR is a non-empty set of the partition's replicas that holds the leader; a replica it adds
     * (one not in sync now) must be on an active broker, or it would be in sync while unable to fetch.
     */
    private static void validateNewIsr(MetadataImage image, String name, PartitionImage partition,
                                       List<Integer> newIsr) {
        if (newIsr.isEmpty()) {
            throw new InvalidRequestException("new_isr of " + name + " is empty; it must hold at least the leader");
        }
        if (Set.copyOf(newIsr).size() != newIsr.size()) {
            throw new InvalidRequestException("new_isr " + newIsr + " of " + name + " names a replica more than once");
        }
        if (!newIsr.contains(partition.leader())) {
            throw new InvalidRequestException("new_isr " + newIsr + " of " + name + " does not hold the leader "
                    + partition.leader());
        }
        for (int replica : newIsr) {
            if (!partition.replicas().contains(replica)) {
                throw new InvalidRequestException("new_isr " + newIsr + " of " + name + " names broker " + replica
                        + ", which is not one of its replicas " + partition.replicas());
            }
        }
        for (int replica : newIsr) {
            BrokerImage broker = image.broker(replica).orElse(null);
            if (!partition.isr().contains(replica) && (broker == null || !broker.active())) {
                throw new IneligibleReplicaException("replica " + replica + " cannot join the ISR of " + name
                        + ": its broker is " + (broker == null ? "not registered"
                        : broker.fenced() ? "fenced" : "in controlled shutdown"));
            }
        }
    }

    /** Logs the accepted ISR changes of a committed request: NONE at a partition epoch the change did not name. */
    static void logAccepted(MetadataImage image, AlterPartitionRequest request, AlterPartitionResponse response) {
        for (int i = 0; i < response.getResultsCount(); i++) {
            IsrChangeResult result = response.getResults(i);
            if (result.getErrorCode() == ErrorCode.ERROR_CODE_NONE
                    && result.getPartitionEpoch() != request.getChanges(i).getPartitionEpoch()) {
                String topic = image.topicById(result.getTopicId()).map(TopicImage::name).orElse(result.getTopicId());
                log.info("Broker {} changed the ISR of {}-{} to {} (partition epoch {})", request.getBrokerId(), topic,
                        result.getPartition(), result.getIsrList(), result.getPartitionEpoch());
            }
        }
    }
}
