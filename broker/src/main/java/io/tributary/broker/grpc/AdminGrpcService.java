package io.tributary.broker.grpc;

import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.AdminHandler;
import io.tributary.broker.request.ClusterHandler;
import io.tributary.broker.request.ConfigsHandler;
import io.tributary.broker.request.DeleteRecordsHandler;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.DescribeConfigsRequest;
import io.tributary.proto.v1.DescribeConfigsResponse;
import io.tributary.proto.v1.DescribeTopicsRequest;
import io.tributary.proto.v1.DescribeTopicsResponse;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.proto.v1.ListTopicsRequest;
import io.tributary.proto.v1.ListTopicsResponse;

/** gRPC adapter for topic and config administration. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

    private final AdminHandler admin;
    private final ClusterHandler cluster;
    private final ConfigsHandler configs;
    private final GrpcCalls calls;
    private final DeleteRecordsHandler deleteRecords;

    public AdminGrpcService(AdminHandler admin, ClusterHandler cluster, ConfigsHandler configs, GrpcCalls calls,
                            DeleteRecordsHandler deleteRecords) {
        this.admin = admin;
        this.cluster = cluster;
        this.configs = configs;
        this.calls = calls;
        this.deleteRecords = deleteRecords;
    }

    @Override
    public void createTopics(CreateTopicsRequest request, StreamObserver<CreateTopicsResponse> observer) {
        calls.async(observer, () -> admin.createTopics(request));
    }

    @Override
    public void deleteTopics(DeleteTopicsRequest request, StreamObserver<DeleteTopicsResponse> observer) {
        calls.async(observer, () -> admin.deleteTopics(request));
    }

    @Override
    public void listTopics(ListTopicsRequest request, StreamObserver<ListTopicsResponse> observer) {
        calls.unary(observer, () -> cluster.listTopics(request));
    }

    @Override
    public void describeTopics(DescribeTopicsRequest request, StreamObserver<DescribeTopicsResponse> observer) {
        calls.unary(observer, () -> cluster.describeTopics(request));
    }

    @Override
    public void createPartitions(CreatePartitionsRequest request, StreamObserver<CreatePartitionsResponse> observer) {
        calls.async(observer, () -> admin.createPartitions(request));
    }

    @Override
    public void electLeaders(ElectLeadersRequest request, StreamObserver<ElectLeadersResponse> observer) {
        calls.async(observer, () -> admin.electLeaders(request));
    }

    @Override
    public void describeConfigs(DescribeConfigsRequest request, StreamObserver<DescribeConfigsResponse> observer) {
        calls.unary(observer, () -> configs.describeConfigs(request));
    }

    @Override
    public void incrementalAlterConfigs(IncrementalAlterConfigsRequest request,
                                        StreamObserver<IncrementalAlterConfigsResponse> observer) {
        calls.async(observer, () -> configs.incrementalAlterConfigs(request));
    }

    @Override
    public void deleteRecords(DeleteRecordsRequest request, StreamObserver<DeleteRecordsResponse> observer) {
        calls.async(observer, () -> deleteRecords.deleteRecords(request));
    }
}
