package io.tributary.broker.grpc;

import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.FetchHandler;
import io.tributary.broker.request.ListOffsetsHandler;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchResponse;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;

/** gRPC adapter for long-poll Fetch and ListOffsets. */
public final class FetchGrpcService extends FetchServiceGrpc.FetchServiceImplBase {

    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final GrpcCalls calls;

    public FetchGrpcService(FetchHandler fetch, ListOffsetsHandler listOffsets, GrpcCalls calls) {
        this.fetch = fetch;
        this.listOffsets = listOffsets;
        this.calls = calls;
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FetchResponse> observer) {
        calls.async(observer, () -> fetch.fetch(request));
    }

    @Override
    public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> observer) {
        calls.unary(observer, () -> listOffsets.listOffsets(request));
    }
}
