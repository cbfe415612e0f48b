package io.tributary.client.consumer;

import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.internal.ConsumerGroup;
import io.tributary.client.consumer.internal.FetchPositions;
import io.tributary.client.consumer.internal.Fetcher;
import io.tributary.client.consumer.internal.GroupSettings;
import io.tributary.client.consumer.internal.MembershipState;
import io.tributary.client.consumer.internal.OffsetLookup;
import io.tributary.client.consumer.internal.SubscriptionState;
import io.tributary.client.consumer.internal.SubscriptionState.ResetStrategy;
import io.tributary.client.consumer.internal.ThreadGuard;
import io.tributary.client.consumer.internal.WakeupSignal;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.Deadlines;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.client.internal.Plugins;
import io.tributary.client.serialization.Deserializer;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.proto.v1.IsolationLevel;
import io.tributary.proto.v1.OffsetSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Java consumer: Kafka's {@code KafkaConsumer} for Tributary, with manual assignment or consumer
 * groups. Fetches run asynchronously against each partition's leader; {@code poll()} returns buffered
 * records and sends the next fetches before returning, so data arrives while the application works.
 * With {@code subscribe}, a background thread heartbeats to the group's coordinator, and poll() moves
 * partitions as the coordinator assigns them (see {@link ConsumerRebalanceListener}).
 *
 * <p>Threading: not thread-safe. Every method except {@link #wakeup()} must be called from one thread
 * at a time; overlapping use is refused with {@link ConcurrentModificationException}, as in Kafka.
 */
public final class TributaryConsumer<K, V> implements Consumer<K, V> {

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
    private final FetchPositions positions;
    private final int maxPollRecords;
    private final long defaultApiTimeoutMs;
    private final long retryBackoffMs;
    /** The consumer's group, or null without group.id. */
    private final ConsumerGroup group;
    private final ThreadGuard threadGuard = new ThreadGuard();
    private final WakeupSignal wakeups = new WakeupSignal();

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
        this.fetcher = new Fetcher<>(Fetcher.Settings.from(config, isolation), metadata, channels, subscriptions, time,
                this.keyDeserializer, this.valueDeserializer);
        this.offsets = new OffsetLookup(metadata, channels, time, requestTimeoutMs, retryBackoffMs, isolation,
                wakeups::maybeThrow);
        this.positions = new FetchPositions(subscriptions, offsets, fetcher::clearBuffered);
        this.group = newGroup(GroupSettings.from(config), clientId, requestTimeoutMs);
    }

    private ConsumerGroup newGroup(GroupSettings settings, String clientId, int requestTimeoutMs) {
        if (settings.groupId().isEmpty()) {
            return null;
        }
        return new ConsumerGroup(new ConsumerGroup.Context(settings,
                clientId.isEmpty() ? "consumer-" + settings.groupId().get() : clientId,
                new GroupCoordinators(metadata, channels, requestTimeoutMs), subscriptions, fetcher::clearBuffered,
                metadata::addTopics, fetcher::wakeup,
                wakeups, time, retryBackoffMs, config.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                requestTimeoutMs, defaultApiTimeoutMs));
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        threadGuard.acquire();
        try {
            if (group != null && group.isSubscribed()) {
                throw new IllegalStateException("assign() and subscribe() are mutually exclusive: this consumer is "
                        + "subscribed; call unsubscribe() before assign()");
            }
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
            threadGuard.release();
        }
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        if (topics == null || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("subscribe() needs topic names that are neither null nor blank: "
                    + topics);
        }
        if (topics.isEmpty()) {
            unsubscribe();
            return;
        }
        subscribe(() -> group.subscribe(topics, listener));
    }

    @Override
    public void subscribe(Pattern pattern) {
        subscribe(pattern, null);
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        requirePattern(pattern == null ? null : pattern.pattern());
        subscribe(() -> group.subscribe(pattern, listener));
    }

    @Override
    public void subscribe(SubscriptionPattern pattern) {
        subscribe(pattern, null);
    }

    @Override
    public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener) {
        requirePattern(pattern == null ? null : pattern.pattern());
        subscribe(() -> group.subscribe(pattern.pattern(), listener));
    }

    private static void requirePattern(String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException("subscribe() needs a non-empty pattern");
        }
    }

    /** Subscribes through {@code call}, refusing it while partitions are assigned manually. */
    private void subscribe(Runnable call) {
        runInGroup("subscribe", () -> {
            if (!group.isSubscribed() && !subscriptions.assignment().isEmpty()) {
                throw new IllegalStateException("subscribe() and assign() are mutually exclusive: this consumer has "
                        + "partitions assigned with assign(); call unsubscribe() before subscribe()");
            }
            call.run();
        });
    }

    private void requireGroup(String what) {
        if (group == null) {
            throw new InvalidGroupIdException(what + "() needs a consumer group: set group.id in the configuration");
        }
    }

    @Override
    public void unsubscribe() {
        threadGuard.run(() -> {
            if (group != null && group.isSubscribed()) {
                group.leave(MembershipState.LEAVE_EPOCH, Deadlines.after(time.milliseconds(), defaultApiTimeoutMs));
            }
            subscriptions.assignment().forEach(fetcher::clearBuffered);
            subscriptions.assign(List.of());
        });
    }

    @Override
    public Set<String> subscription() {
        return threadGuard.call(() -> group == null ? Set.of() : group.subscription());
    }

    @Override
    public void commitSync() {
        commitSync(Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Duration timeout) {
        runInGroup("commitSync", () -> group.commitSync(group.consumedOffsets(), deadline(timeout)));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        runInGroup("commitSync", () -> group.commitSync(offsets, deadline(timeout)));
    }

    @Override
    public void commitAsync() {
        commitAsync((OffsetCommitCallback) null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        runInGroup("commitAsync", () -> group.commitAsync(group.consumedOffsets(), callback));
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        runInGroup("commitAsync", () -> group.commitAsync(offsets, callback));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        return inGroup("committed", () -> group.committed(partitions, deadline(timeout)));
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return inGroup("groupMetadata", () -> group.groupMetadata());
    }

    @Override
    public void enforceRebalance() {
        runInGroup("enforceRebalance", () -> group.enforceRebalance());
    }

    /** Runs a call of the group API (which needs group.id) as the consumer's thread. */
    private <T> T inGroup(String what, Supplier<T> call) {
        return threadGuard.call(() -> {
            requireGroup(what);
            return call.get();
        });
    }

    private void runInGroup(String what, Runnable call) {
        threadGuard.run(() -> {
            requireGroup(what);
            call.run();
        });
    }

    private long deadline(Duration timeout) {
        return Deadlines.after(time.milliseconds(), timeout.toMillis());
    }

    @Override
    public Set<TopicPartition> assignment() {
        return threadGuard.call(() -> subscriptions.assignment());
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        threadGuard.acquire();
        boolean grouped = group != null && group.isSubscribed();
        try {
            if (!grouped && subscriptions.assignment().isEmpty()) {
                throw new IllegalStateException("the consumer is not subscribed to any topic and has no partitions "
                        + "assigned; call subscribe() or assign() first");
            }
            if (grouped) {
                group.pollStarted();
            }
            long deadlineMs = deadline(timeout);
            do {
                wakeups.maybeThrow();
                if (group != null) {
                    group.poll(time.milliseconds());
                }
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
            wakeups.maybeThrow();
            return ConsumerRecords.empty();
        } finally {
            if (grouped) {
                group.pollEnded();
            }
            threadGuard.release();
        }
    }

    /** See {@link FetchPositions#update}. */
    private void updateFetchPositions(long deadlineMs, boolean strict) {
        if (strict && group != null) {
            group.awaitCommittedPositions(deadlineMs);
        }
        positions.update(deadlineMs, strict);
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("seek offset must not be negative: " + offset);
        }
        threadGuard.run(() -> {
            subscriptions.seek(partition, offset);
            fetcher.clearBuffered(partition);
        });
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
        threadGuard.run(() -> {
            Collection<TopicPartition> targets = partitions.isEmpty() ? subscriptions.assignment() : partitions;
            for (TopicPartition tp : targets) {
                subscriptions.requestReset(tp, strategy);
                fetcher.clearBuffered(tp);
            }
        });
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        return threadGuard.call(() -> {
            if (subscriptions.position(partition) == null) {
                updateFetchPositions(deadline(timeout), true);
            }
            return subscriptions.position(partition);
        });
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
        return threadGuard.call(() -> offsets.offsets(partitions, spec, deadline(timeout), purpose));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
        return offsetsForTimes(timestampsToSearch, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch,
                                                                   Duration timeout) {
        return threadGuard.call(() -> offsets.offsetsForTimes(timestampsToSearch, deadline(timeout)));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        threadGuard.run(() -> partitions.forEach(subscriptions::pause));
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        threadGuard.run(() -> partitions.forEach(subscriptions::resume));
    }

    @Override
    public Set<TopicPartition> paused() {
        return threadGuard.call(() -> subscriptions.paused());
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitionsFor(topic, Duration.ofMillis(defaultApiTimeoutMs));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        return threadGuard.call(() -> offsets.partitionsFor(topic, deadline(timeout), timeout.toMillis()));
    }

    @Override
    public void wakeup() {
        wakeups.wakeup();
        fetcher.wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public void close(Duration timeout) {
        if (threadGuard.isClosed()) {
            return;
        }
        threadGuard.acquire();
        try {
            long deadlineMs = deadline(timeout);
            wakeups.disable();
            try {
                if (group != null) {
                    group.close(deadlineMs);
                }
            } finally {
                threadGuard.markClosed();
                channels.close(Math.max(0, deadlineMs - time.milliseconds()));
            }
            interceptors.close();
            keyDeserializer.close();
            valueDeserializer.close();
        } finally {
            threadGuard.release();
        }
    }
}
