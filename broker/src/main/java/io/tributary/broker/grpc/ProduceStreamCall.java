package io.tributary.broker.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import java.util.function.Consumer;

/**
 * One ProduceStream call. Requests are appended as they arrive (gRPC delivers a call's messages one
 * at a time, so the order sent is the order appended); responses are written as their acks level is
 * met. The stream is completed only after the client half-closed AND every in-flight request was
 * answered, so no acks=all response is lost. Writes to the (not thread-safe) response observer are
 * serialised on this object.
 *
 * <p>Flow control: at most {@link #MAX_IN_FLIGHT} requests are unanswered at a time; the next
 * message is asked from the transport only when one is answered, so a fast client is held back by
 * HTTP/2 flow control instead of piling requests up in the broker's memory.
 */
final class ProduceStreamCall implements StreamObserver<ProduceRequest> {

    static final int MAX_IN_FLIGHT = 64;

    private final ServerCallStreamObserver<ProduceResponse> responses;
    private final ProduceHandler handler;
    private final GrpcCalls calls;
    private final Consumer<ProduceStreamCall> onFinished;
    private int inFlight;
    private boolean halfClosed;
    private boolean finished;

    /** Must be created inside the service method, before it returns (manual flow control starts then). */
    ProduceStreamCall(ServerCallStreamObserver<ProduceResponse> responses, ProduceHandler handler, GrpcCalls calls,
                      Consumer<ProduceStreamCall> onFinished) {
        this.responses = responses;
        this.handler = handler;
        this.calls = calls;
        this.onFinished = onFinished;
        responses.disableAutoRequest();
        responses.request(MAX_IN_FLIGHT);
    }

    @Override
    public void onNext(ProduceRequest request) {
        boolean acksNone = request.getAcks() == Acks.ACKS_NONE;
        synchronized (this) {
            inFlight++;
        }
        try {
            calls.ensureServing();
            handler.produce(request).whenComplete((response, error) ->
                    answer(acksNone ? null : (error == null ? response : failed(request, error))));
        } catch (RuntimeException e) {
            answer(acksNone ? null : failed(request, e));
        }
    }

    /** Sends {@code response} (null: nothing to send, acks=0) and finishes the call if it was the last. */
    private synchronized void answer(ProduceResponse response) {
        inFlight--;
        if (!finished) {
            if (response != null) {
                responses.onNext(response);
            }
            responses.request(1);
        }
        maybeFinish();
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        maybeFinish();
    }

    /** The client cancelled or the transport failed: nothing more can be delivered. */
    @Override
    public synchronized void onError(Throwable t) {
        finishWith(null);
    }

    /** Ends the call with UNAVAILABLE (the node is shutting down); the client should reconnect. */
    synchronized void shutDown() {
        finishWith(Status.UNAVAILABLE.withDescription("the node is shutting down").asRuntimeException());
    }

    private void maybeFinish() {
        if (halfClosed && inFlight == 0 && !finished) {
            finished = true;
            responses.onCompleted();
            onFinished.accept(this);
        }
    }

    private void finishWith(RuntimeException error) {
        if (finished) {
            return;
        }
        finished = true;
        if (error != null) {
            responses.onError(error);
        }
        onFinished.accept(this);
    }

    /**
     * A request that failed as a whole: every partition carries the error, fatal (INVALID_REQUEST) for
     * a malformed request, retriable otherwise.
     */
    static ProduceResponse failed(ProduceRequest request, Throwable error) {
        Status status = GrpcCalls.toStatus(error).getStatus();
        ErrorCode code = switch (status.getCode()) {
            case INVALID_ARGUMENT -> ErrorCode.ERROR_CODE_INVALID_REQUEST;
            case UNAVAILABLE -> ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE;
            default -> ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR;
        };
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
