package io.tributary.client.consumer;

import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.internal.Fetcher;
import io.tributary.client.consumer.internal.OffsetLookup;
import io.tributary.client.consumer.internal.SubscriptionState;
import io.tributary.client.consumer.internal.SubscriptionState.ResetStrategy;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.Deadlines;
import io.tributary.client.internal.Plugins;
import io.tributary.client.serialization.Deserializer;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.NoOffsetForPartitionException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.WakeupException;
import io.tributary.proto.v1.IsolationLevel;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.OffsetSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java consumer: Kafka's {@code KafkaConsumer} for Tributary, with manual assignment. Fetches run
 * asynchronously against each partition's leader; {@code poll()} returns buffered records and sends
 * the next fetches before returning, so data arrives while the application works.
 *
 * <p>Threading: not thread-safe. Every method except {@link #wakeup()} must be called from one thread
 * at a time; overlapping use is refused with {@link ConcurrentModificationException}, as in Kafka.
 */
public final class TributaryConsumer<K, V> implements Consumer<K, V> {

    private static final Logger log = LoggerFactory.getLogger(TributaryConsumer.class);
    private static final long NO_CURRENT_THREAD = -1L;

    private final ParsedConfig config;
    private final Time time;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final ConsumerInterceptors<K, V> interceptors;
    private final Channels channels;
    private final ClientMetadata metadata;
    private final SubscriptionState subscriptions;
    private final Fetcher<K, V> fetcher;
    private final OffsetLookup offsets;
    private final int maxPollRecords;
    private final long defaultApiTimeoutMs;
    private final long retryBackoffMs;
    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private int refCount;
    private volatile boolean closed;

    public TributaryConsumer(Properties properties) {
        this(ClientConfigs.toMap(properties), null, null);
    }

    public TributaryConsumer(Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(ClientConfigs.toMap(properties), keyDeserializer, valueDeserializer);
    }

    public TributaryConsumer(Map<String, ?> configs) {
        this(configs, null, null);
    }

    @SuppressWarnings("unchecked")
    public TributaryConsumer(Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.config = ClientConfigs.parse(ConsumerConfig.CONFIG_DEF, configs, "consumer");
        this.time = Time.SYSTEM;
        this.keyDeserializer = Plugins.givenOrConfigured(keyDeserializer, configs,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, Deserializer.class);
        this.valueDeserializer = Plugins.givenOrConfigured(valueDeserializer, configs,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, Deserializer.class);
        if (keyDeserializer == null) {
            this.keyDeserializer.configure(configs, true);
        }
        if (valueDeserializer == null) {
            this.valueDeserializer.configure(configs, false);
        }
        this.interceptors = new ConsumerInterceptors<>(Plugins.newInstances(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
                config.getList(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), ConsumerInterceptor.class), configs);
        this.maxPollRecords = config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        this.defaultApiTimeoutMs = config.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.retryBackoffMs = config.getLong(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG);
        int requestTimeoutMs = config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        String clientId = config.getString(ConsumerConfig.CLIENT_ID_CONFIG);
        this.channels = new Channels(clientId.isEmpty() ? "consumer" : clientId);
        this.metadata = new ClientMetadata(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG), channels, time,
                config.getLong(ConsumerConfig.METADATA_MAX_AGE_CONFIG), requestTimeoutMs);
        this.subscriptions = new SubscriptionState(
                ResetStrategy.valueOf(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG).toUpperCase(java.util.Locale.ROOT)));
        IsolationLevel isolation = "read_committed".equals(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                ? IsolationLevel.ISOLATION_LEVEL_READ_COMMITTED : IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED;
        this.fetcher = new Fetcher<>(new Fetcher.Settings(config.getInt(ConsumerConfig.FETCH_MIN_BYTES_CONFIG),
                config.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                config.getBoolean(ConsumerConfig.CHECK_CRCS_CONFIG), isolation, requestTimeoutMs, retryBackoffMs),
                metadata, channels, subscriptions, time, this.keyDeserializer, this.valueDeserializer);
        this.offsets = new OffsetLookup(metadata, channels, time, requestTimeoutMs, retryBackoffMs, isolation,
                this::maybeThrowWakeup);
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            for (TopicPartition tp : partitions) {
                if (tp == null || tp.topic().isBlank()) {
                    throw new IllegalArgumentException("assign() needs partitions with a topic name, got " + tp);
                }
            }
            for (TopicPartition tp : subscriptions.assignment()) {
                if (!partitions.contains(tp)) {
                    fetcher.clearBuffered(tp);
                }
            }
            subscriptions.assign(partitions);
            metadata.addTopics(partitions.stream().map(TopicPartition::topic).distinct().toList());
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return subscriptions.assignment();
        } finally {
            release();
        }
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquire();
        try {
            if (subscriptions.assignment().isEmpty()) {
                throw new IllegalStateException("the consumer has no partitions assigned; call assign() first");
            }
            long deadlineMs = Deadlines.after(time.milliseconds(), timeout.toMillis());
            do {
                maybeThrowWakeup();
                fetcher.processArrivals();
                fetcher.throwPendingError();
                updateFetchPositions(deadlineMs, false);
                Map<TopicPartition, List<ConsumerRecord<K, V>>> records = fetcher.collect(maxPollRecords);
                metadata.maybeRefresh();
                fetcher.sendFetches();
                if (!records.isEmpty()) {
                    return interceptors.onConsume(new ConsumerRecords<>(records));
                }
                long leftMs = deadlineMs - time.milliseconds();
                // Without a fetch in flight nothing will arrive: look again after the retry backoff.
                fetcher.awaitArrival(fetcher.hasFetchesInFlight() ? leftMs : Math.min(leftMs, retryBackoffMs));
            } while (time.milliseconds() < deadlineMs);
            maybeThrowWakeup();
            return ConsumerRecords.empty();
        } finally {
            release();
        }
    }

    /**
     * Gives every assigned partition without a position one: through its pending reset or
     * {@code auto.offset.reset}.
     *
     * @param strict true: failing to find positions by the deadline throws; false (poll): it is logged
     *               and retried at the next poll
     * @throws NoOffsetForPartitionException for partitions without a position under auto.offset.reset=none
     */
    private void updateFetchPositions(long deadlineMs, boolean strict) {
        List<TopicPartition> missing = subscriptions.partitionsWithoutPosition();
        if (!missing.isEmpty() && subscriptions.defaultResetStrategy() == ResetStrategy.NONE) {
            throw new NoOffsetForPartitionException(Set.copyOf(missing));
        }
        missing.forEach(subscriptions::requestDefaultReset);
        Map<TopicPartition, ResetStrategy> pending = subscriptions.pendingResets();
        if (pending.isEmpty()) {
            return;
        }
        Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
        pending.forEach((tp, strategy) -> queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setSpec(strategy == ResetStrategy.EARLIEST
                        ? OffsetSpec.OFFSET_SPEC_EARLIEST : OffsetSpec.OFFSET_SPEC_LATEST).build()));
        try {
            offsets.lookup(queries, deadlineMs, "resetting positions").forEach((tp, answer) -> {
                subscriptions.completeReset(tp, pending.get(tp), answer.getOffset());
                fetcher.clearBuffered(tp);
            });
        } catch (TimeoutException e) {
            if (strict) {
                throw e;
            }
            log.debug("Could not reset positions yet: {}", e.getMessage());
        }
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("seek offset must not be negative: " + offset);
        }
        acquire();
        try {
            subscriptions.seek(partition, offset);
            fetcher.clearBuffered(partition);
        } finally {
            release();
        }
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestResets(partitions, ResetStrategy.EARLIEST);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestResets(partitions, ResetStrategy.LATEST);
    }

    private void requestResets(Collection<TopicPartition> partitions, ResetStrategy strategy) {
        acquire();
        try {
            Collection<TopicPartition> targets = partitions.isEmpty() ? subscriptions.assignment() : partitions;
            for (TopicPartition tp : targets) {
                subscriptions.requestReset(tp, strategy);
                fetcher.clearBuffered(tp);
            }
        } finally {
            release();
        }
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        acquire();
        try {
            Long position = subscriptions.position(partition);
            if (position == null) {
                updateFetchPositions(Deadlines.after(time.milliseconds(), timeout.toMillis()), true);
                position = subscriptions.position(partition);
            }
            return position;
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return listOffsets(partitions, OffsetSpec.OFFSET_SPEC_EARLIEST, timeout, "beginningOffsets");
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return listOffsets(partitions, OffsetSpec.OFFSET_SPEC_LATEST, timeout, "endOffsets");
    }

    private Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, OffsetSpec spec,
                                                  Duration timeout, String purpose) {
        acquire();
        try {
            Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                        .setSpec(spec).build());
            }
            Map<TopicPartition, Long> result = new LinkedHashMap<>();
            offsets.lookup(queries, Deadlines.after(time.milliseconds(), timeout.toMillis()), purpose)
                    .forEach((tp, answer) -> result.put(tp, answer.getOffset()));
            return result;
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
        return offsetsForTimes(timestampsToSearch, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch,
                                                                   Duration timeout) {
        acquire();
        try {
            Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
            timestampsToSearch.forEach((tp, timestamp) -> {
                if (timestamp < 0) {
                    throw new IllegalArgumentException("the timestamp to search for " + tp
                            + " must not be negative: " + timestamp);
                }
                queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                        .setTimestampMs(timestamp).build());
            });
            Map<TopicPartition, OffsetAndTimestamp> result = new LinkedHashMap<>();
            Map<TopicPartition, ListOffsetsPartitionResponse> answers =
                    offsets.lookup(queries, Deadlines.after(time.milliseconds(), timeout.toMillis()), "offsetsForTimes");
            answers.forEach((tp, answer) -> result.put(tp, answer.getOffset() < 0 ? null : new OffsetAndTimestamp(
                    answer.getOffset(), answer.getTimestampMs(),
                    answer.getLeaderEpoch() < 0 ? Optional.empty() : Optional.of(answer.getLeaderEpoch()))));
            return result;
        } finally {
            release();
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(subscriptions::pause);
        } finally {
            release();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(subscriptions::resume);
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        acquire();
        try {
            return subscriptions.paused();
        } finally {
            release();
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitionsFor(topic, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        acquire();
        try {
            metadata.addTopics(List.of(topic));
            long deadlineMs = Deadlines.after(time.milliseconds(), timeout.toMillis());
            TributaryException last = null;
            while (time.milliseconds() < deadlineMs) {
                maybeThrowWakeup();
                try {
                    List<PartitionInfo> partitions = metadata.refresh().partitionsFor(topic);
                    return partitions == null ? List.of() : partitions;
                } catch (TributaryException e) {
                    if (!(e instanceof RetriableException)) {
                        throw e;
                    }
                    last = e;
                    fetcher.awaitArrival(Math.min(retryBackoffMs, deadlineMs - time.milliseconds()));
                }
            }
            throw new TimeoutException("partitionsFor(" + topic + ") timed out after " + timeout.toMillis() + " ms"
                    + (last == null ? "" : "; last error: " + last.getMessage()));
        } finally {
            release();
        }
    }

    @Override
    public void wakeup() {
        wakeupRequested.set(true);
        fetcher.wakeup();
    }

    private void maybeThrowWakeup() {
        if (wakeupRequested.compareAndSet(true, false)) {
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        acquire();
        try {
            closed = true;
            channels.close(Math.max(0, timeout.toMillis()));
            interceptors.close();
            keyDeserializer.close();
            valueDeserializer.close();
        } finally {
            release();
        }
    }

    /** Marks the calling thread as the one using the consumer; refuses a second thread, as Kafka does. */
    private void acquire() {
        if (closed) {
            throw new IllegalStateException("this consumer has already been closed");
        }
        long threadId = Thread.currentThread().getId();
        if (threadId != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, threadId)) {
            throw new ConcurrentModificationException("TributaryConsumer is not safe for multi-threaded access: "
                    + "thread " + Thread.currentThread().getName() + " (id " + threadId + ") called it while thread id "
                    + currentThread.get() + " was using it");
        }
        refCount++;
    }

    private void release() {
        if (--refCount == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }
}
