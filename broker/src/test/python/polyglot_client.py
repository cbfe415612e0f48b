"""A non-Java client of the Tributary API, built only from the published .proto files.

Usage: polyglot_client.py HOST:PORT PROTO_DIR WORK_DIR
Generates Python modules from PROTO_DIR with protoc into WORK_DIR, then creates a topic, produces
records (with a null key, headers and gzip), fetches them back with a long poll and looks up offsets.
Exits 0 and prints "polyglot ok" when every check holds; raises (exit 1) naming the failed check.
"""
import glob
import os
import subprocess
import sys


def generate(proto_dir, work_dir):
    os.makedirs(work_dir, exist_ok=True)
    protos = glob.glob(os.path.join(proto_dir, "tributary", "v1", "*.proto"))
    subprocess.run(["protoc", "-I", proto_dir, "--python_out", work_dir] + protos, check=True)
    sys.path.insert(0, work_dir)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    address, proto_dir, work_dir = sys.argv[1:4]
    generate(proto_dir, work_dir)
    import grpc
    from tributary.v1 import admin_service_pb2 as admin
    from tributary.v1 import common_pb2 as common
    from tributary.v1 import fetch_service_pb2 as fetch
    from tributary.v1 import produce_service_pb2 as produce

    channel = grpc.insecure_channel(address)

    def call(service, method, request, response_type):
        stub = channel.unary_unary("/tributary.v1.%s/%s" % (service, method),
                                   request_serializer=request.SerializeToString,
                                   response_deserializer=response_type.FromString)
        return stub(request, timeout=30)

    created = call("AdminService", "CreateTopics", admin.CreateTopicsRequest(
        topics=[admin.NewTopic(name="from-python", num_partitions=2)]), admin.CreateTopicsResponse)
    check(created.topics[0].error_code == common.ERROR_CODE_NONE, "create topic: %s" % created)

    records = [common.Record(value=b"first", headers=[common.RecordHeader(key="lang", value=b"python")]),
               common.Record(key=b"k2", value=b"second", timestamp_ms=1700000000000)]
    produced = call("ProduceService", "Produce", produce.ProduceRequest(
        acks=common.ACKS_ALL, partitions=[produce.PartitionProduceData(
            topic="from-python", partition=1,
            records=common.RecordList(records=records, compression=common.COMPRESSION_TYPE_GZIP))]),
        produce.ProduceResponse)
    result = produced.partitions[0]
    check(result.error_code == common.ERROR_CODE_NONE and result.base_offset == 0, "produce: %s" % produced)

    fetched = call("FetchService", "Fetch", fetch.FetchRequest(
        min_bytes=1, max_wait_ms=5000, partitions=[fetch.FetchPartition(
            topic="from-python", partition=1, fetch_offset=0)]),
        fetch.FetchResponse)
    got = fetched.partitions[0].records.records
    check([r.value for r in got] == [b"first", b"second"], "fetch values: %s" % fetched)
    check(not got[0].HasField("key") and got[1].key == b"k2", "null vs present keys: %s" % fetched)
    check(got[0].headers[0].value == b"python", "headers: %s" % fetched)
    check(got[1].timestamp_ms == 1700000000000 and got[1].offset == 1, "offset/timestamp: %s" % fetched)

    offsets = call("FetchService", "ListOffsets", fetch.ListOffsetsRequest(partitions=[
        fetch.ListOffsetsPartition(topic="from-python", partition=1, spec=fetch.OFFSET_SPEC_LATEST)]),
        fetch.ListOffsetsResponse)
    check(offsets.partitions[0].offset == 2, "latest offset: %s" % offsets)

    unknown = call("ProduceService", "Produce", produce.ProduceRequest(partitions=[
        produce.PartitionProduceData(topic="nope", partition=0, record_batches=b"garbage")]),
        produce.ProduceResponse)
    check(unknown.partitions[0].error_code == common.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
          "unknown topic: %s" % unknown)
    try:
        call("ProduceService", "Produce", produce.ProduceRequest(), produce.ProduceResponse)
        check(False, "an empty produce request must be rejected")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, "empty request status: %s" % e)
    print("polyglot ok")


if __name__ == "__main__":
    main()
