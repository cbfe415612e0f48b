package io.tributary.client.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TopicExistsException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.v1.ErrorCode;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("unit")
class GrpcErrorsTest {

    @Test
    void statusesMapToRetriableOrFatalExceptionsNamingTheTarget() {
        TributaryException down = GrpcErrors.fromThrowable(Status.UNAVAILABLE.withDescription("io exception")
                .asRuntimeException(), "127.0.0.1:1");
        assertInstanceOf(BrokerNotAvailableException.class, down);
        assertInstanceOf(RetriableException.class, down);
        assertTrue(down.getMessage().contains("UNAVAILABLE from 127.0.0.1:1: io exception"), down.getMessage());
        assertInstanceOf(TimeoutException.class, GrpcErrors.fromThrowable(
                Status.DEADLINE_EXCEEDED.asRuntimeException(), "n"));
        TributaryException invalid = GrpcErrors.fromThrowable(
                Status.INVALID_ARGUMENT.withDescription("partitions[0].topic is empty").asRuntimeException(), "n");
        assertInstanceOf(InvalidRequestException.class, invalid);
        assertTrue(invalid.getMessage().contains("partitions[0].topic is empty"));
        assertInstanceOf(UnknownServerException.class, GrpcErrors.fromThrowable(
                Status.INTERNAL.asRuntimeException(), "n"));
    }

    @Test
    void alreadyMappedExceptionsPassThroughFutureWrappers() {
        TopicExistsException exists = new TopicExistsException("t exists");
        assertSame(exists, GrpcErrors.fromThrowable(new CompletionException(exists), "n"));
    }

    /**
     * The producer retries and the consumer refetches only on retriable errors, so the codes a leader
     * moving away or an ISR shrinking can cause must be retriable, as Kafka classifies them.
     */
    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"ERROR_CODE_NOT_LEADER_OR_FOLLOWER", "ERROR_CODE_NOT_ENOUGH_REPLICAS",
            "ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND", "ERROR_CODE_REQUEST_TIMED_OUT",
            "ERROR_CODE_LEADER_NOT_AVAILABLE", "ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION", "ERROR_CODE_FENCED_LEADER_EPOCH",
            "ERROR_CODE_UNKNOWN_LEADER_EPOCH", "ERROR_CODE_BROKER_NOT_AVAILABLE"})
    void errorsOfALeaderMoveOrAShrunkenIsrAreRetriable(ErrorCode code) {
        assertInstanceOf(RetriableException.class, GrpcErrors.fromCode(code, "moved"));
    }

    @Test
    void errorCodesUseTheSharedTable() {
        assertNull(GrpcErrors.fromCode(ErrorCode.ERROR_CODE_NONE, ""));
        assertInstanceOf(NotLeaderOrFollowerException.class,
                GrpcErrors.fromCode(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, "moved"));
    }
}
