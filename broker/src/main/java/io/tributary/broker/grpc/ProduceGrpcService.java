package io.tributary.broker.grpc;

import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.proto.v1.ProduceServiceGrpc;

/** gRPC adapter for {@link ProduceHandler}: unary Produce and the bidirectional ProduceStream. */
public final class ProduceGrpcService extends ProduceServiceGrpc.ProduceServiceImplBase {

    private final ProduceHandler handler;
    private final GrpcCalls calls;

    public ProduceGrpcService(ProduceHandler handler, GrpcCalls calls) {
        this.handler = handler;
        this.calls = calls;
    }

    @Override
    public void produce(ProduceRequest request, StreamObserver<ProduceResponse> observer) {
        calls.async(observer, () -> handler.produce(request));
    }

    /**
     * Each request is appended as it arrives (gRPC delivers a stream's messages one at a time, so
     * the order sent is the order appended); responses are written as they complete. The response
     * observer is not thread-safe, so writes to it are serialised on it.
     */
    @Override
    public StreamObserver<ProduceRequest> produceStream(StreamObserver<ProduceResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ProduceRequest request) {
                boolean acksNone = request.getAcks() == Acks.ACKS_NONE;
                try {
                    calls.ensureServing();
                    handler.produce(request).whenComplete((response, error) -> {
                        if (!acksNone) {
                            send(error == null ? response : failed(request, error));
                        }
                    });
                } catch (RuntimeException e) {
                    if (!acksNone) {
                        send(failed(request, e));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                // The client went away; in-flight appends still complete, their responses are dropped.
            }

            @Override
            public void onCompleted() {
                synchronized (responses) {
                    responses.onCompleted();
                }
            }

            private void send(ProduceResponse response) {
                synchronized (responses) {
                    try {
                        responses.onNext(response);
                    } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
                        // The call is already closed (client cancelled); nothing to deliver to.
                    }
                }
            }
        };
    }

    /** A stream request that failed as a whole: every partition carries the error. */
    private static ProduceResponse failed(ProduceRequest request, Throwable error) {
        io.grpc.Status status = GrpcCalls.toStatus(error).getStatus();
        ErrorCode code = status.getCode() == io.grpc.Status.Code.UNAVAILABLE
                ? ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE : ErrorCode.ERROR_CODE_INVALID_REQUEST;
        ProduceResponse.Builder response = ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId());
        for (PartitionProduceData data : request.getPartitionsList()) {
            response.addPartitions(PartitionProduceResponse.newBuilder().setTopic(data.getTopic())
                    .setPartition(data.getPartition()).setErrorCode(code)
                    .setErrorMessage(String.valueOf(status.getDescription())).setBaseOffset(-1)
                    .setLogAppendTimeMs(-1).setLogStartOffset(-1));
        }
        return response.build();
    }
}
