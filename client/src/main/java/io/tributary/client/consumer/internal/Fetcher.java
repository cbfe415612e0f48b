package io.tributary.client.consumer.internal;

import io.grpc.stub.StreamObserver;
import io.tributary.client.Headers;
import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.client.serialization.Deserializer;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InterruptException;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.SerializationException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchResponse;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.IsolationLevel;
import io.tributary.proto.v1.RecordFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches records for the consumer: at most one Fetch in flight per leader, sent asynchronously so
 * the next records arrive while the application processes the last ones. Responses land on a queue
 * (from gRPC threads); everything else (processing responses, buffering, deserializing, moving
 * positions) happens on the consumer's application thread.
 */
public final class Fetcher<K, V> {

    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    /** Fetch settings, from the consumer configuration. */
    public record Settings(int minBytes, int maxWaitMs, int maxBytes, int partitionMaxBytes, boolean checkCrcs,
                           IsolationLevel isolationLevel, long requestTimeoutMs, long retryBackoffMs) {

        public static Settings from(ParsedConfig config, IsolationLevel isolationLevel) {
            return new Settings(config.getInt(ConsumerConfig.FETCH_MIN_BYTES_CONFIG),
                    config.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                    config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                    config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                    config.getBoolean(ConsumerConfig.CHECK_CRCS_CONFIG), isolationLevel,
                    config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                    config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG));
        }
    }

    /** A response or failure of the Fetch sent to {@code node}, or a wake-up marker (node -1). */
    private record Arrival(int node, Map<TopicPartition, Long> fetchOffsets, FetchResponse response,
                           TributaryException error) {
    }

    private static final Arrival WAKEUP = new Arrival(-1, Map.of(), null, null);

    private final Settings settings;
    private final ClientMetadata metadata;
    private final Channels channels;
    private final SubscriptionState subscriptions;
    private final Time time;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final Set<Integer> nodesInFlight = new HashSet<>();
    private final Map<Integer, Long> nodeBackoffUntilMs = new HashMap<>();
    private final Map<TopicPartition, Long> partitionBackoffUntilMs = new HashMap<>();
    private final ArrayDeque<CompletedFetch> buffered = new ArrayDeque<>();
    private RuntimeException pendingError;
    /** The leader epoch of the batch records were last taken from, boxed once per batch rather than per record. */
    private RecordBatch epochBatch;
    private Optional<Integer> epochOfBatch = Optional.empty();

    public Fetcher(Settings settings, ClientMetadata metadata, Channels channels, SubscriptionState subscriptions,
                   Time time, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.settings = settings;
        this.metadata = metadata;
        this.channels = channels;
        this.subscriptions = subscriptions;
        this.time = time;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
    }

    /** Sends a Fetch to every leader of fetchable partitions that have nothing buffered or in flight. */
    public void sendFetches() {
        ClusterView view = metadata.view();
        Set<TopicPartition> withData = new HashSet<>();
        buffered.forEach(fetch -> withData.add(fetch.partition()));
        Map<Node, Map<TopicPartition, FetchPartition>> requests = new LinkedHashMap<>();
        long nowMs = time.milliseconds();
        for (TopicPartition tp : subscriptions.fetchablePartitions()) {
            PartitionInfo info = view.partition(tp);
            Node leader = view.leaderFor(tp);
            if (leader == null) {
                metadata.requestUpdate();
                continue;
            }
            if (withData.contains(tp) || nodesInFlight.contains(leader.id())
                    || nodeBackoffUntilMs.getOrDefault(leader.id(), 0L) > nowMs
                    || partitionBackoffUntilMs.getOrDefault(tp, 0L) > nowMs) {
                continue;
            }
            FetchPartition.Builder partition = FetchPartition.newBuilder().setTopic(tp.topic())
                    .setPartition(tp.partition()).setFetchOffset(subscriptions.position(tp))
                    .setPartitionMaxBytes(settings.partitionMaxBytes());
            if (info.leaderEpoch() >= 0) {
                partition.setCurrentLeaderEpoch(info.leaderEpoch());
            }
            requests.computeIfAbsent(leader, ignored -> new LinkedHashMap<>()).put(tp, partition.build());
        }
        requests.forEach(this::send);
    }

    private void send(Node leader, Map<TopicPartition, FetchPartition> partitions) {
        FetchRequest request = FetchRequest.newBuilder().addAllPartitions(partitions.values())
                .setMinBytes(settings.minBytes()).setMaxWaitMs(settings.maxWaitMs()).setMaxBytes(settings.maxBytes())
                .setRecordFormat(RecordFormat.RECORD_FORMAT_BATCHES).setIsolationLevel(settings.isolationLevel())
                .build();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach((tp, p) -> offsets.put(tp, p.getFetchOffset()));
        nodesInFlight.add(leader.id());
        FetchServiceGrpc.newStub(channels.forAddress(leader.host(), leader.port()))
                .withDeadlineAfter(settings.maxWaitMs() + settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                .fetch(request, new StreamObserver<>() {
                    @Override
                    public void onNext(FetchResponse response) {
                        arrivals.add(new Arrival(leader.id(), offsets, response, null));
                    }

                    @Override
                    public void onError(Throwable error) {
                        arrivals.add(new Arrival(leader.id(), offsets, null, GrpcErrors.fromThrowable(error,
                                "node " + leader)));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    /** Whether some Fetch is waiting for its response. */
    public boolean hasFetchesInFlight() {
        return !nodesInFlight.isEmpty();
    }

    /** Waits up to {@code timeoutMs} for a response (or a wake-up); returns at once if one is queued. */
    public void awaitArrival(long timeoutMs) {
        if (!arrivals.isEmpty() || timeoutMs <= 0) {
            return;
        }
        try {
            Arrival arrival = arrivals.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (arrival != null && arrival != WAKEUP) {
                arrivals.add(arrival);
            }
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting for fetched records", e);
        }
    }

    /** Makes a thread blocked in {@link #awaitArrival} return; callable from any thread. */
    public void wakeup() {
        arrivals.add(WAKEUP);
    }

    /** Handles every queued response: buffers data, asks for resets and metadata refreshes. */
    public void processArrivals() {
        Arrival arrival;
        while ((arrival = arrivals.poll()) != null) {
            if (arrival == WAKEUP) {
                continue;
            }
            nodesInFlight.remove(arrival.node());
            if (arrival.error() != null) {
                log.debug("Fetch from node {} failed: {}", arrival.node(), arrival.error().getMessage());
                nodeBackoffUntilMs.put(arrival.node(), time.milliseconds() + settings.retryBackoffMs());
                metadata.requestUpdate();
                channels.resetConnectBackoff();
                continue;
            }
            for (FetchPartitionResponse partition : arrival.response().getPartitionsList()) {
                TopicPartition tp = new TopicPartition(partition.getTopic(), partition.getPartition());
                Long fetchOffset = arrival.fetchOffsets().get(tp);
                if (fetchOffset != null && subscriptions.isAssigned(tp)
                        && fetchOffset.equals(subscriptions.position(tp))) {
                    handlePartition(tp, fetchOffset, partition);
                }
            }
        }
    }

    private void handlePartition(TopicPartition tp, long fetchOffset, FetchPartitionResponse response) {
        TributaryException error = GrpcErrors.fromCode(response.getErrorCode(), response.getErrorMessage());
        if (error == null) {
            if (!response.getRecordBatches().isEmpty()) {
                MemoryRecords records = MemoryRecords.readableRecords(response.getRecordBatches().asReadOnlyByteBuffer());
                buffered.add(new CompletedFetch(tp, fetchOffset, records, settings.checkCrcs()));
            }
        } else if (error instanceof OffsetOutOfRangeException) {
            String what = "fetch position " + fetchOffset + " is out of range for partition " + tp + " (log start "
                    + response.getLogStartOffset() + ", high watermark " + response.getHighWatermark() + ")";
            if (subscriptions.defaultResetStrategy() == SubscriptionState.ResetStrategy.NONE) {
                pendingError = new OffsetOutOfRangeException(what + " and auto.offset.reset=none");
            } else {
                log.info("{}; resetting to the {} offset", what, subscriptions.defaultResetStrategy());
                subscriptions.requestDefaultReset(tp);
            }
        } else if (error instanceof RetriableException) {
            log.debug("Fetch of {} failed, refreshing metadata: {}", tp, error.getMessage());
            partitionBackoffUntilMs.put(tp, time.milliseconds() + settings.retryBackoffMs());
            metadata.requestUpdate();
        } else {
            pendingError = error;
        }
    }

    /** Throws (once) a fatal error a fetch response carried. */
    public void throwPendingError() {
        RuntimeException error = pendingError;
        if (error != null) {
            pendingError = null;
            throw error;
        }
    }

    /**
     * Returns up to {@code maxRecords} buffered records of fetchable partitions, advancing their
     * positions. Data of unassigned partitions, or fetched for an offset the position has since left,
     * is dropped; a paused partition's data stays buffered. When a record cannot be returned (it does
     * not deserialize, or its batch is corrupt), the records collected before it are returned and the
     * error is thrown by the next poll, with the position on the bad record, as Kafka does.
     */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> collect(int maxRecords) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        int remaining = maxRecords;
        Iterator<CompletedFetch> it = buffered.iterator();
        while (it.hasNext() && remaining > 0) {
            CompletedFetch fetch = it.next();
            TopicPartition tp = fetch.partition();
            if (!subscriptions.isAssigned(tp) || !Long.valueOf(fetch.nextOffset()).equals(subscriptions.position(tp))) {
                it.remove();
                continue;
            }
            if (!subscriptions.isFetchable(tp)) {
                continue;
            }
            List<ConsumerRecord<K, V>> records = out.computeIfAbsent(tp, ignored -> new ArrayList<>());
            try {
                remaining -= fetch.drain(remaining, (batch, record) -> records.add(toConsumerRecord(tp, batch, record)));
            } catch (RuntimeException e) {
                subscriptions.advance(tp, fetch.nextOffset(), lastEpoch(records));
                out.values().removeIf(List::isEmpty);
                if (out.isEmpty()) {
                    throw e;
                }
                pendingError = e;
                return out;
            }
            subscriptions.advance(tp, fetch.nextOffset(), lastEpoch(records));
            if (records.isEmpty()) {
                out.remove(tp);
            }
            if (fetch.isDrained()) {
                it.remove();
            }
        }
        return out;
    }

    private static Optional<Integer> lastEpoch(List<? extends ConsumerRecord<?, ?>> records) {
        return records.isEmpty() ? Optional.empty() : records.get(records.size() - 1).leaderEpoch();
    }

    /** Drops buffered data of {@code tp} (after a seek, or when it is no longer assigned). */
    public void clearBuffered(TopicPartition tp) {
        buffered.removeIf(fetch -> fetch.partition().equals(tp));
    }

    private ConsumerRecord<K, V> toConsumerRecord(TopicPartition tp, RecordBatch batch, Record record) {
        Headers headers = new Headers(record.headers());
        K key;
        V value;
        try {
            key = keyDeserializer.deserialize(tp.topic(), headers, record.key());
            value = valueDeserializer.deserialize(tp.topic(), headers, record.value());
        } catch (RuntimeException e) {
            throw new SerializationException("error deserializing the record at offset " + record.offset() + " of "
                    + tp + "; seek past it to continue: " + e.getMessage(), e);
        }
        headers.setReadOnly();
        if (batch != epochBatch) {
            epochBatch = batch;
            int epoch = batch.partitionLeaderEpoch();
            epochOfBatch = epoch < 0 ? Optional.empty() : Optional.of(epoch);
        }
        return new ConsumerRecord<>(tp.topic(), tp.partition(), record.offset(), record.timestamp(),
                batch.timestampType(), record.key() == null ? -1 : record.key().length,
                record.value() == null ? -1 : record.value().length, key, value, headers, epochOfBatch);
    }
}
