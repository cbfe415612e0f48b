package io.tributary.broker.grpc;

import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.ClusterHandler;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;

/** gRPC adapter for cluster metadata. */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {

    private final ClusterHandler handler;
    private final GrpcCalls calls;

    public ClusterGrpcService(ClusterHandler handler, GrpcCalls calls) {
        this.handler = handler;
        this.calls = calls;
    }

    @Override
    public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
        calls.unary(observer, () -> handler.metadata(request));
    }
}
