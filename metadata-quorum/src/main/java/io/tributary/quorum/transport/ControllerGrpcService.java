package io.tributary.quorum.transport;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.NotControllerException;
import io.tributary.common.errors.RetriableException;
import io.tributary.proto.controller.v1.AllocateProducerIdsRequest;
import io.tributary.proto.controller.v1.AllocateProducerIdsResponse;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatResponse;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.controller.v1.BrokerRegistrationResponse;
import io.tributary.proto.controller.v1.ControllerServiceGrpc;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.controller.QuorumController;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's internal gRPC service on the controller listener. Errors travel as statuses whose
 * {@link #ERROR_CODE} trailer names the {@link ErrorCode}, so the caller rebuilds the same exception:
 * retriable ones (NOT_CONTROLLER, …) as UNAVAILABLE, invalid requests as INVALID_ARGUMENT, other
 * API errors as FAILED_PRECONDITION.
 */
public final class ControllerGrpcService extends ControllerServiceGrpc.ControllerServiceImplBase {

    /** The trailer naming the error code. */
    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("tributary-error-code",
            Metadata.ASCII_STRING_MARSHALLER);

    /** With NOT_CONTROLLER: the active controller's node id, when known. */
    public static final Metadata.Key<String> ACTIVE_CONTROLLER_ID = Metadata.Key.of("tributary-active-controller-id",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger log = LoggerFactory.getLogger(ControllerGrpcService.class);

    private final QuorumController controller;

    public ControllerGrpcService(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public void registerBroker(BrokerRegistrationRequest request, StreamObserver<BrokerRegistrationResponse> out) {
        answer(out, () -> controller.registerBroker(request));
    }

    @Override
    public void brokerHeartbeat(BrokerHeartbeatRequest request, StreamObserver<BrokerHeartbeatResponse> out) {
        answer(out, () -> controller.heartbeat(request));
    }

    @Override
    public void createTopics(CreateTopicsRequest request, StreamObserver<CreateTopicsResponse> out) {
        answer(out, () -> controller.createTopics(request));
    }

    @Override
    public void deleteTopics(DeleteTopicsRequest request, StreamObserver<DeleteTopicsResponse> out) {
        answer(out, () -> controller.deleteTopics(request));
    }

    @Override
    public void createPartitions(CreatePartitionsRequest request, StreamObserver<CreatePartitionsResponse> out) {
        answer(out, () -> controller.createPartitions(request));
    }

    @Override
    public void electLeaders(ElectLeadersRequest request, StreamObserver<ElectLeadersResponse> out) {
        answer(out, () -> controller.electLeaders(request));
    }

    @Override
    public void incrementalAlterConfigs(IncrementalAlterConfigsRequest request,
                                        StreamObserver<IncrementalAlterConfigsResponse> out) {
        answer(out, () -> controller.incrementalAlterConfigs(request));
    }

    @Override
    public void allocateProducerIds(AllocateProducerIdsRequest request,
                                    StreamObserver<AllocateProducerIdsResponse> out) {
        answer(out, () -> controller.allocateProducerIds(request));
    }

    @Override
    public void alterPartition(AlterPartitionRequest request, StreamObserver<AlterPartitionResponse> out) {
        answer(out, () -> controller.alterPartition(request));
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        future.whenComplete((value, error) -> {
            if (error != null) {
                out.onError(toStatus(error));
            } else {
                out.onNext(value);
                out.onCompleted();
            }
        });
    }

    /** An API error as a status carrying its code; anything else as INTERNAL. */
    static StatusRuntimeException toStatus(Throwable error) {
        Throwable cause = Errors.unwrap(error);
        if (!(cause instanceof ApiException api)) {
            log.error("Controller request failed unexpectedly", cause);
            return Status.INTERNAL.withDescription(cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .asRuntimeException();
        }
        Status status = cause instanceof RetriableException ? Status.UNAVAILABLE
                : cause instanceof InvalidRequestException ? Status.INVALID_ARGUMENT : Status.FAILED_PRECONDITION;
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, api.errorCode().name());
        if (cause instanceof NotControllerException notController && notController.activeControllerId() >= 0) {
            trailers.put(ACTIVE_CONTROLLER_ID, String.valueOf(notController.activeControllerId()));
        }
        return status.withDescription(cause.getMessage()).asRuntimeException(trailers);
    }

    /** The exception a status from {@link #toStatus} stands for (retriable when the code is unknown). */
    static RuntimeException fromStatus(StatusRuntimeException status) {
        String code = status.getTrailers() == null ? null : status.getTrailers().get(ERROR_CODE);
        String message = status.getStatus().getDescription();
        if (ErrorCode.ERROR_CODE_NOT_CONTROLLER.name().equals(code)) {
            String active = status.getTrailers().get(ACTIVE_CONTROLLER_ID);
            return new NotControllerException(message, active != null && active.matches("\\d{1,9}")
                    ? Integer.parseInt(active) : -1);
        }
        if (code != null) {
            try {
                return Errors.exceptionFor(ErrorCode.valueOf(code), message);
            } catch (IllegalArgumentException unknownCode) {
                log.debug("Unknown error code {} from the controller", code);
            }
        }
        return status;
    }
}
