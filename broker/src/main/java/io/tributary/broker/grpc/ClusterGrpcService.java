package io.tributary.broker.grpc;

import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.ClusterDescriber;
import io.tributary.broker.request.ClusterHandler;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.DescribeClusterRequest;
import io.tributary.proto.v1.DescribeClusterResponse;
import io.tributary.proto.v1.DescribeQuorumRequest;
import io.tributary.proto.v1.DescribeQuorumResponse;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;

/** gRPC adapter for cluster metadata and the cluster and quorum descriptions. */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {

    private final ClusterHandler handler;
    private final ClusterDescriber describer;
    private final GrpcCalls calls;

    public ClusterGrpcService(ClusterHandler handler, ClusterDescriber describer, GrpcCalls calls) {
        this.handler = handler;
        this.describer = describer;
        this.calls = calls;
    }

    @Override
    public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
        calls.unary(observer, () -> handler.metadata(request));
    }

    @Override
    public void describeCluster(DescribeClusterRequest request, StreamObserver<DescribeClusterResponse> observer) {
        calls.unary(observer, () -> describer.describeCluster(request));
    }

    @Override
    public void describeQuorum(DescribeQuorumRequest request, StreamObserver<DescribeQuorumResponse> observer) {
        calls.async(observer, describer::describeQuorum);
    }
}
