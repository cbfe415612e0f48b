package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one table between wire {@link ErrorCode}s and exceptions, used by servers (exception to code)
 * and clients (code to exception). Every code except UNSPECIFIED and NONE has exactly one exception.
 */
public final class Errors {

    private static final Map<ErrorCode, Function<String, ApiException>> BY_CODE = new EnumMap<>(ErrorCode.class);

    static {
        register(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, UnknownServerException::new);
        register(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, OffsetOutOfRangeException::new);
        register(ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, CorruptRecordException::new);
        register(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, UnknownTopicOrPartitionException::new);
        register(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, LeaderNotAvailableException::new);
        register(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, NotLeaderOrFollowerException::new);
        register(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, TimeoutException::new);
        register(ErrorCode.ERROR_CODE_RECORD_TOO_LARGE, RecordTooLargeException::new);
        register(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, NotEnoughReplicasException::new);
        register(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, NotEnoughReplicasAfterAppendException::new);
        register(ErrorCode.ERROR_CODE_INVALID_TOPIC, InvalidTopicException::new);
        register(ErrorCode.ERROR_CODE_INVALID_REQUIRED_ACKS, InvalidRequiredAcksException::new);
        register(ErrorCode.ERROR_CODE_INVALID_TIMESTAMP, InvalidTimestampException::new);
        register(ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, TopicExistsException::new);
        register(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, InvalidPartitionsException::new);
        register(ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, InvalidReplicationFactorException::new);
        register(ErrorCode.ERROR_CODE_INVALID_CONFIG, InvalidConfigurationException::new);
        register(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, FencedLeaderEpochException::new);
        register(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH, UnknownLeaderEpochException::new);
        register(ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, OutOfOrderSequenceException::new);
        register(ErrorCode.ERROR_CODE_DUPLICATE_SEQUENCE_NUMBER, DuplicateSequenceException::new);
        register(ErrorCode.ERROR_CODE_INVALID_PRODUCER_EPOCH, InvalidProducerEpochException::new);
        register(ErrorCode.ERROR_CODE_STORAGE_ERROR, StorageException::new);
        register(ErrorCode.ERROR_CODE_INVALID_RECORD, InvalidRecordException::new);
        register(ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION_TYPE, UnsupportedCompressionTypeException::new);
        register(ErrorCode.ERROR_CODE_INVALID_REQUEST, InvalidRequestException::new);
        register(ErrorCode.ERROR_CODE_UNSUPPORTED_FOR_MESSAGE_FORMAT, UnsupportedForMessageFormatException::new);
        register(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE, BrokerNotAvailableException::new);
        register(ErrorCode.ERROR_CODE_NOT_CONTROLLER, NotControllerException::new);
        register(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, StaleBrokerEpochException::new);
        register(ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION, DuplicateBrokerRegistrationException::new);
        register(ErrorCode.ERROR_CODE_INCONSISTENT_CLUSTER_ID, InconsistentClusterIdException::new);
        register(ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED, ElectionNotNeededException::new);
        register(ErrorCode.ERROR_CODE_PREFERRED_LEADER_NOT_AVAILABLE, PreferredLeaderNotAvailableException::new);
        register(ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE, EligibleLeadersNotAvailableException::new);
        register(ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION, InvalidUpdateVersionException::new);
        register(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, IneligibleReplicaException::new);
        register(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, GroupIdNotFoundException::new);
        register(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, InvalidGroupIdException::new);
        register(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, CoordinatorNotAvailableException::new);
        register(ErrorCode.ERROR_CODE_NOT_COORDINATOR, NotCoordinatorException::new);
        register(ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS, CoordinatorLoadInProgressException::new);
        register(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, UnknownMemberIdException::new);
        register(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, FencedMemberEpochException::new);
        register(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, StaleMemberEpochException::new);
        register(ErrorCode.ERROR_CODE_FENCED_INSTANCE_ID, FencedInstanceIdException::new);
        register(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, GroupNotEmptyException::new);
        register(ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC, GroupSubscribedToTopicException::new);
        register(ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR, UnsupportedAssignorException::new);
        register(ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION, InvalidRegularExpressionException::new);
        register(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE, OffsetMetadataTooLargeException::new);
        register(ErrorCode.ERROR_CODE_PARTITION_NOT_ASSIGNED, PartitionNotAssignedException::new);
        register(ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT, InvalidSessionTimeoutException::new);
        register(ErrorCode.ERROR_CODE_BROKER_ID_NOT_REGISTERED, BrokerIdNotRegisteredException::new);
        register(ErrorCode.ERROR_CODE_POLICY_VIOLATION, PolicyViolationException::new);
    }

    private Errors() {
    }

    private static void register(ErrorCode code, Function<String, ApiException> factory) {
        BY_CODE.put(code, factory);
    }

    /**
     * The exception a client raises for {@code code}, or {@code null} for ERROR_CODE_NONE.
     * Codes this table does not know (a newer server) become {@link UnknownServerException}.
     */
    public static ApiException exceptionFor(ErrorCode code, String message) {
        if (code == ErrorCode.ERROR_CODE_NONE) {
            return null;
        }
        Function<String, ApiException> factory = BY_CODE.get(code);
        if (factory == null) {
            return new UnknownServerException("unexpected error code " + code + ": " + message);
        }
        return factory.apply(message);
    }

    /** The code a server sends for {@code error}; anything that is not an ApiException is UNKNOWN_SERVER_ERROR. */
    public static ErrorCode codeFor(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof ApiException api) {
            return api.errorCode();
        }
        return ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR;
    }

    /** Strips the CompletionException / ExecutionException wrappers futures add. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Every code this table maps (for tests). */
    static Iterable<ErrorCode> mappedCodes() {
        return BY_CODE.keySet();
    }
}
