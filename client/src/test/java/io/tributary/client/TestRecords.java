package io.tributary.client;

import io.tributary.broker.TestNode;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import java.util.ArrayList;
import java.util.List;

/** Reads a partition back with the raw gRPC API, independently of the client under test. */
public final class TestRecords {

    private TestRecords() {
    }

    /** Every record of {@code topic}-{@code partition} up to the high watermark. */
    public static List<Record> readAll(TestNode node, String topic, int partition) {
        List<Record> records = new ArrayList<>();
        long offset = 0;
        while (true) {
            FetchPartitionResponse response = node.fetch().fetch(FetchRequest.newBuilder()
                    .setRecordFormat(RecordFormat.RECORD_FORMAT_RECORDS).setMaxBytes(8 << 20)
                    .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition)
                            .setFetchOffset(offset).setPartitionMaxBytes(8 << 20))
                    .build()).getPartitions(0);
            if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                throw new AssertionError("fetch failed: " + response);
            }
            for (Record record : response.getRecords().getRecordsList()) {
                if (record.getOffset() >= offset) {
                    records.add(record);
                    offset = record.getOffset() + 1;
                }
            }
            if (offset >= response.getHighWatermark()) {
                return records;
            }
        }
    }
}
