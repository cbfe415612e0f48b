package io.tributary.broker.group;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of one __consumer_offsets partition, as a pure state machine: each
 * operation takes the request, the time and the cluster's topics (name to partition count) and
 * returns the records it generated — already replayed into the state — and the answer; the
 * driver writes the records and answers once they are committed. {@link #replay} rebuilds the state
 * from the log on a new coordinator. No threads, clocks, files or sockets: one driver thread owns it.
 *
 * <p>A refused request generates no records and answers with its error code.
 */
public final class GroupCoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    private final GroupCoordinatorConfig config;
    private final GroupState state;
    /** What {@link #coordinatedGroups()} last returned, by group id. */
    private final Map<String, CoordinatedGroup> lastCoordinatedGroups = new TreeMap<>();
    private final MemberTimers timers = new MemberTimers();
    private final GroupRebalancer rebalancer;
    private final ConsumerGroupHeartbeats heartbeats;
    private final GroupRequests requests;
    private long nextRetentionCheckMs;

    public GroupCoordinatorShard(GroupCoordinatorConfig config) {
        this(config, true);
    }

    /**
     * A shard that tracks the groups each record changes for {@link #coordinatedGroups()} only when
     * {@code trackChangedGroups} (without it, that list stays empty).
     */
    public GroupCoordinatorShard(GroupCoordinatorConfig config, boolean trackChangedGroups) {
        this.config = config;
        this.state = new GroupState(trackChangedGroups);
        this.rebalancer = new GroupRebalancer(GroupAssignors.from(config.assignors()));
        this.heartbeats = new ConsumerGroupHeartbeats(config, state, timers, rebalancer);
        this.requests = new GroupRequests(config, state);
    }

    /** Applies one record read from the log (loading). */
    public void replay(CoordinatorRecord record) {
        state.replay(record);
    }

    /** Loading is complete: every member's session (and pending revocation) starts counting now. */
    public void onLoaded(long nowMs) {
        for (String groupId : state.groupIds()) {
            state.group(groupId).ifPresent(group -> group.members().values().forEach(member -> {
                timers.renewSession(groupId, member.memberId(), nowMs + member.sessionTimeoutMs());
                if (member.state() == MemberState.UNREVOKED_PARTITIONS) {
                    timers.startRevocation(groupId, member.memberId(), nowMs + member.rebalanceTimeoutMs());
                }
            }));
        }
        nextRetentionCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
    }

    public CoordinatorResult<ConsumerGroupHeartbeatResponse> heartbeat(ConsumerGroupHeartbeatRequest request,
                                                                       String clientHost, long nowMs,
                                                                       Map<String, Integer> topics) {
        return run(sink -> heartbeats.heartbeat(request, clientHost, nowMs, topics, sink),
                e -> ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(e.errorCode())
                        .setErrorMessage(e.getMessage()).setMemberId(request.getMemberId())
                        .setMemberEpoch(request.getMemberEpoch()).build());
    }

    public CoordinatorResult<OffsetCommitResponse> commitOffsets(OffsetCommitRequest request, long nowMs,
                                                                 Map<String, Integer> topics) {
        return run(sink -> requests.commit(request, nowMs, topics, sink),
                e -> OffsetCommitResponse.newBuilder().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage())
                        .build());
    }

    public OffsetFetchResponse fetchOffsets(OffsetFetchRequest request) {
        return run(sink -> requests.fetch(request), e -> OffsetFetchResponse.newBuilder()
                .setErrorCode(e.errorCode()).setErrorMessage(e.getMessage()).build()).response();
    }

    public CoordinatorResult<OffsetDeleteResponse> deleteOffsets(OffsetDeleteRequest request,
                                                                 Map<String, Integer> topics) {
        return run(sink -> requests.deleteOffsets(request, topics, sink),
                e -> OffsetDeleteResponse.newBuilder().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage())
                        .build());
    }

    public CoordinatorResult<GroupResult> deleteGroup(String groupId) {
        return run(sink -> {
            requests.deleteGroup(groupId, sink);
            return GroupResult.newBuilder().setGroupId(groupId).setErrorCode(ErrorCode.ERROR_CODE_NONE).build();
        }, e -> GroupResult.newBuilder().setGroupId(groupId).setErrorCode(e.errorCode())
                .setErrorMessage(e.getMessage()).build());
    }

    public GroupDescription describeGroup(String groupId, int coordinatorId) {
        return GroupDescriptions.describe(state, groupId, coordinatorId);
    }

    public List<GroupListing> listGroups(Set<String> statesFilter, int coordinatorId) {
        return GroupDescriptions.list(state, statesFilter, coordinatorId);
    }

    /**
     * Removes members whose session or rebalance timeout passed, and (every
     * offsets.retention.check.interval.ms) expired offsets of groups without members.
     */
    public List<CoordinatorRecord> expire(long nowMs, Map<String, Integer> topics) {
        RecordSink sink = new RecordSink(state);
        for (MemberTimers.MemberKey key : timers.expired(nowMs)) {
            timers.forget(key.groupId(), key.memberId());
            state.group(key.groupId()).flatMap(g -> g.member(key.memberId())).ifPresent(member -> {
                ConsumerGroup group = state.group(key.groupId()).orElseThrow();
                log.info("Group {}: removing member {} ({}): its {} passed", group.groupId(), member.memberId(),
                        member.instanceId().isEmpty() ? "dynamic" : "instance " + member.instanceId(),
                        member.state() == MemberState.UNREVOKED_PARTITIONS ? "rebalance timeout"
                                : "session timeout");
                rebalancer.removeMember(group, member.memberId(), topics, nowMs, sink);
            });
        }
        if (nowMs >= nextRetentionCheckMs) {
            nextRetentionCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
            requests.expireOffsets(nowMs, topics, sink);
        }
        return sink.records();
    }

    /**
     * Every group this shard holds, with its member count and committed offsets, immutable. Only the
     * groups changed since the previous call are copied anew; the others keep their previous copy,
     * so publishing often costs little while few groups change. Empty if the shard does not track
     * changed groups.
     */
    public List<CoordinatedGroup> coordinatedGroups() {
        for (String groupId : state.takeChangedGroups()) {
            if (state.exists(groupId)) {
                Map<TopicPartition, Long> committed = new HashMap<>();
                state.offsets(groupId).forEach((tp, value) -> committed.put(tp, value.getOffset()));
                int members = state.group(groupId).map(group -> group.members().size()).orElse(0);
                lastCoordinatedGroups.put(groupId, new CoordinatedGroup(groupId, members, committed));
            } else {
                lastCoordinatedGroups.remove(groupId);
            }
        }
        return List.copyOf(lastCoordinatedGroups.values());
    }

    /** The number of groups this shard holds. */
    public int groupCount() {
        return state.groupIds().size();
    }

    /**
     * Runs one operation; an ApiException becomes the error answer. An operation refuses before
     * generating records, so an exception after some were applied would leave the state ahead of
     * the log: that is a bug, raised as such so the driver rebuilds the state from the log.
     */
    private <T> CoordinatorResult<T> run(Function<RecordSink, T> operation, Function<ApiException, T> onError) {
        RecordSink sink = new RecordSink(state);
        try {
            T response = operation.apply(sink);
            return new CoordinatorResult<>(sink.records(), response);
        } catch (ApiException e) {
            if (!sink.records().isEmpty()) {
                throw new IllegalStateException("a refused group request had already changed the state", e);
            }
            return new CoordinatorResult<>(List.of(), onError.apply(e));
        } catch (RuntimeException e) {
            if (!sink.records().isEmpty()) {
                throw new IllegalStateException("a group request failed after changing the state", e);
            }
            ApiException error = Errors.exceptionFor(Errors.codeFor(e), String.valueOf(e.getMessage()));
            return new CoordinatorResult<>(List.of(), onError.apply(error));
        }
    }
}
