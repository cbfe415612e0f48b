package io.tributary.client.internal;

import io.tributary.client.Node;
import io.tributary.common.errors.CoordinatorLoadInProgressException;
import io.tributary.common.errors.CoordinatorNotAvailableException;
import io.tributary.common.errors.NotCoordinatorException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where each consumer group's coordinator is: asks any broker (FindCoordinator) once per group and
 * remembers the answer until {@link #invalidate} (after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE
 * or an unreachable coordinator). Thread-safe.
 */
public final class GroupCoordinators {

    private final ClientMetadata metadata;
    private final Channels channels;
    private final long requestTimeoutMs;
    private final Map<String, Node> known = new ConcurrentHashMap<>();

    public GroupCoordinators(ClientMetadata metadata, Channels channels, long requestTimeoutMs) {
        this.metadata = metadata;
        this.channels = channels;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * The group's coordinator, asking the cluster when it is not known.
     *
     * @throws CoordinatorNotAvailableException (retriable) when the cluster has none for it yet
     * @throws TributaryException when no broker answered, or for an invalid group id
     */
    public Node coordinator(String groupId) {
        Node cached = known.get(groupId);
        if (cached != null) {
            return cached;
        }
        Node found = find(groupId);
        known.put(groupId, found);
        return found;
    }

    /** A blocking stub to the group's coordinator, with the request timeout as its deadline. */
    public GroupServiceGrpc.GroupServiceBlockingStub stub(String groupId) {
        Node node = coordinator(groupId);
        return GroupServiceGrpc.newBlockingStub(channels.forAddress(node.host(), node.port()))
                .withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Forgets the group's coordinator: the next request finds it again. */
    public void invalidate(String groupId) {
        known.remove(groupId);
    }

    /**
     * Whether {@code code} means the request went to a node that is not (or not yet) the group's
     * coordinator, so the coordinator must be found again before retrying.
     */
    public static boolean needsRediscovery(ErrorCode code) {
        return code == ErrorCode.ERROR_CODE_NOT_COORDINATOR || code == ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE;
    }

    /** Whether {@code error} is a coordinator problem that a retry (after rediscovery) may solve. */
    public static boolean isCoordinatorError(Throwable error) {
        return error instanceof NotCoordinatorException || error instanceof CoordinatorNotAvailableException
                || error instanceof CoordinatorLoadInProgressException;
    }

    private Node find(String groupId) {
        FindCoordinatorRequest request = FindCoordinatorRequest.newBuilder().addGroupIds(groupId).build();
        TributaryException last = null;
        for (Node broker : brokers()) {
            try {
                Coordinator answer = GroupServiceGrpc.newBlockingStub(channels.forAddress(broker.host(), broker.port()))
                        .withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS)
                        .findCoordinator(request).getCoordinators(0);
                TributaryException error = GrpcErrors.fromCode(answer.getErrorCode(), answer.getErrorMessage());
                if (error != null) {
                    throw error;
                }
                return new Node(answer.getNode().getNodeId(), answer.getNode().getHost(), answer.getNode().getPort(),
                        answer.getNode().getRack().isEmpty() ? null : answer.getNode().getRack());
            } catch (TributaryException e) {
                throw e;
            } catch (RuntimeException e) {
                last = GrpcErrors.fromThrowable(e, broker.address());
            }
        }
        metadata.requestUpdate();
        throw last != null ? last : new CoordinatorNotAvailableException("no broker is known to ask for the "
                + "coordinator of group '" + groupId + "'");
    }

    /** The brokers of the latest metadata, refreshing it first when none is known. */
    private List<Node> brokers() {
        ClusterView view = metadata.view();
        if (view.brokers().isEmpty()) {
            view = metadata.refresh();
        }
        return new ArrayList<>(view.brokers().values());
    }
}
