package io.tributary.broker;

import com.google.protobuf.ByteString;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic on one partition of a {@link ClusterProcesses} cluster, as a careful client would make it:
 * a writer that produces unique sequential values with acks=all to whichever broker leads (retrying
 * a value until it is acknowledged, so an unacknowledged attempt may leave a duplicate), and a
 * reader that follows the leader from offset 0. Both record what they were told and what they saw,
 * and the reader notes every offset that went backwards, skipped, or changed value.
 */
final class PartitionTraffic {

    /** An acknowledged write: the value and the offset the leader gave it. */
    record Ack(long offset, String value, long atNanos) {
    }

    private final ClusterProcesses cluster;
    private final List<Integer> brokers;
    private final String topic;
    private final int partition;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final Map<Long, String> seen = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong nextReadOffset = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    PartitionTraffic(ClusterProcesses cluster, List<Integer> brokers, String topic, int partition) {
        this.cluster = cluster;
        this.brokers = List.copyOf(brokers);
        this.topic = topic;
        this.partition = partition;
    }

    void start() {
        threads.add(Thread.ofPlatform().name("writer-" + partition).start(this::write));
        threads.add(Thread.ofPlatform().name("reader-" + partition).start(this::read));
    }

    void stop() throws InterruptedException {
        stop.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    Map<Long, String> seen() {
        return Map.copyOf(seen);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long readUpTo() {
        return nextReadOffset.get();
    }

    /** The partition as a live broker's metadata describes it. */
    Optional<PartitionMetadata> metadata() {
        for (int broker : brokers) {
            if (cluster.node(broker) == null || !cluster.node(broker).isAlive()) {
                continue;
            }
            try {
                return Optional.of(ClusterServiceGrpc.newBlockingStub(cluster.channel(broker))
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .metadata(MetadataRequest.newBuilder().addTopics(topic).build()).getTopics(0)
                        .getPartitions(partition));
            } catch (RuntimeException e) {
                // Try the next broker: this one may be paused or shutting down.
            }
        }
        return Optional.empty();
    }

    private int leader() {
        return metadata().map(PartitionMetadata::getLeaderId).orElse(-1);
    }

    /** Waits up to {@code ms} unless stopped; true when stopped. */
    private boolean pause(long ms) {
        try {
            return stop.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void write() {
        long sequence = 0;
        while (stop.getCount() > 0) {
            String value = "p" + partition + "-" + sequence;
            int leader = leader();
            if (leader < 0 || cluster.node(leader) == null) {
                pause(50);
                continue;
            }
            try {
                PartitionProduceResponse result = ProduceServiceGrpc.newBlockingStub(cluster.channel(leader))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).produce(ProduceRequest.newBuilder()
                                .setAcks(Acks.ACKS_ALL).setTimeoutMs(5_000)
                                .addPartitions(PartitionProduceData.newBuilder().setTopic(topic).setPartition(partition)
                                        .setRecords(RecordList.newBuilder().addRecords(Record.newBuilder()
                                                .setValue(ByteString.copyFromUtf8(value)))))
                                .build()).getPartitions(0);
                if (result.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    acks.add(new Ack(result.getBaseOffset(), value, System.nanoTime()));
                    sequence++;
                } else {
                    pause(50);
                }
            } catch (RuntimeException e) {
                pause(50);
            }
        }
    }

    private void read() {
        while (stop.getCount() > 0) {
            int leader = leader();
            if (leader < 0 || cluster.node(leader) == null) {
                pause(50);
                continue;
            }
            try {
                long offset = nextReadOffset.get();
                FetchPartitionResponse result = FetchServiceGrpc.newBlockingStub(cluster.channel(leader))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().setMaxWaitMs(500)
                                .setMinBytes(1).setRecordFormat(RecordFormat.RECORD_FORMAT_RECORDS)
                                .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition)
                                        .setFetchOffset(offset))
                                .build()).getPartitions(0);
                if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                    pause(50);
                    continue;
                }
                for (Record record : result.getRecords().getRecordsList()) {
                    observe(record.getOffset(), record.getValue().toStringUtf8());
                }
            } catch (RuntimeException e) {
                pause(50);
            }
        }
    }

    private void observe(long offset, String value) {
        long expected = nextReadOffset.get();
        if (offset != expected) {
            violations.add("partition " + partition + ": read offset " + offset + " where " + expected + " was next");
        }
        String before = seen.putIfAbsent(offset, value);
        if (before != null && !before.equals(value)) {
            violations.add("partition " + partition + ": offset " + offset + " changed from " + before + " to " + value);
        }
        nextReadOffset.set(Math.max(expected, offset + 1));
    }

    /**
     * Every record of the partition below {@code endOffset}, read from its leader: offset to value.
     * Fails if leadership moves meanwhile; the caller retries.
     */
    Map<Long, String> readAll(long endOffset) {
        Map<Long, String> values = new java.util.TreeMap<>();
        long offset = 0;
        while (offset < endOffset) {
            FetchPartitionResponse result = FetchServiceGrpc.newBlockingStub(cluster.channel(leader()))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().setMaxWaitMs(0)
                            .setRecordFormat(RecordFormat.RECORD_FORMAT_RECORDS)
                            .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition)
                                    .setFetchOffset(offset))
                            .build()).getPartitions(0);
            if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE || result.getRecords().getRecordsCount() == 0) {
                throw new AssertionError("reading " + topic + "-" + partition + " at " + offset + ": " + result);
            }
            for (Record record : result.getRecords().getRecordsList()) {
                values.put(record.getOffset(), record.getValue().toStringUtf8());
                offset = record.getOffset() + 1;
            }
        }
        return values;
    }

    /** The leader's high watermark, from an empty fetch at offset 0; fails if the broker asked does not lead. */
    long highWatermark() {
        FetchPartitionResponse result = FetchServiceGrpc.newBlockingStub(cluster.channel(leader()))
                .withDeadlineAfter(10, TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().setMaxWaitMs(0)
                        .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition)
                                .setFetchOffset(0).setPartitionMaxBytes(1))
                        .build()).getPartitions(0);
        if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new AssertionError("high watermark of " + this + ": " + result);
        }
        return result.getHighWatermark();
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
