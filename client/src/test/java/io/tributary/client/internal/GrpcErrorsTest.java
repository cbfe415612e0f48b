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

    @Test
    void errorCodesUseTheSharedTable() {
        assertNull(GrpcErrors.fromCode(ErrorCode.ERROR_CODE_NONE, ""));
        assertInstanceOf(NotLeaderOrFollowerException.class,
                GrpcErrors.fromCode(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, "moved"));
    }
}
