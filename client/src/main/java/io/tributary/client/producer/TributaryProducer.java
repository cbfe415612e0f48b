package io.tributary.client.producer;

import io.tributary.client.PartitionInfo;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.Deadlines;
import io.tributary.client.internal.Plugins;
import io.tributary.client.producer.internal.BufferBudget;
import io.tributary.client.producer.internal.BuiltInPartitioner;
import io.tributary.client.producer.internal.ProducerBatch;
import io.tributary.client.producer.internal.RecordAccumulator;
import io.tributary.client.producer.internal.Sender;
import io.tributary.client.serialization.Serializer;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.InterruptException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.SerializationException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.Header;
import io.tributary.proto.v1.Acks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java producer: Kafka's {@code KafkaProducer} for Tributary. {@code send()} serializes, picks a
 * partition and appends the record to a per-partition batch; a network thread sends batches over a
 * ProduceStream per broker, retrying retriable failures (and following leader changes) until
 * {@code delivery.timeout.ms}. Thread-safe: share one instance between threads.
 */
public final class TributaryProducer<K, V> implements Producer<K, V> {

    private static final Logger log = LoggerFactory.getLogger(TributaryProducer.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1);

    private final String clientId;
    private final ParsedConfig config;
    private final Time time;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final BuiltInPartitioner builtInPartitioner;
    private final ProducerInterceptors<K, V> interceptors;
    private final Channels channels;
    private final ClientMetadata metadata;
    private final RecordAccumulator accumulator;
    private final Sender sender;
    private final Thread networkThread;
    private final long maxBlockMs;
    private final int maxRequestBytes;
    private final long bufferMemoryBytes;
    private volatile boolean closed;

    public TributaryProducer(Properties properties) {
        this(ClientConfigs.toMap(properties), null, null);
    }

    public TributaryProducer(Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ClientConfigs.toMap(properties), keySerializer, valueSerializer);
    }

    public TributaryProducer(Map<String, ?> configs) {
        this(configs, null, null);
    }

    public TributaryProducer(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(configs, keySerializer, valueSerializer, Time.SYSTEM);
    }

    @SuppressWarnings("unchecked")
    TributaryProducer(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer, Time time) {
        this.config = ClientConfigs.parse(ProducerConfig.CONFIG_DEF, configs, "producer");
        ProducerConfig.validate(config);
        String givenId = config.getString(ProducerConfig.CLIENT_ID_CONFIG);
        this.clientId = givenId.isEmpty() ? "producer-" + CLIENT_IDS.getAndIncrement() : givenId;
        this.time = time;
        this.maxBlockMs = config.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        this.maxRequestBytes = config.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.bufferMemoryBytes = config.getLong(ProducerConfig.BUFFER_MEMORY_CONFIG);
        this.keySerializer = Plugins.givenOrConfigured(keySerializer, configs, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                Serializer.class);
        this.valueSerializer = Plugins.givenOrConfigured(valueSerializer, configs,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Serializer.class);
        if (keySerializer == null) {
            this.keySerializer.configure(configs, true);
        }
        if (valueSerializer == null) {
            this.valueSerializer.configure(configs, false);
        }
        String partitionerClass = config.getString(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        this.partitioner = partitionerClass == null ? null
                : Plugins.newInstance(ProducerConfig.PARTITIONER_CLASS_CONFIG, partitionerClass, Partitioner.class);
        if (partitioner != null) {
            partitioner.configure(configs);
        }
        int batchSize = config.getInt(ProducerConfig.BATCH_SIZE_CONFIG);
        this.builtInPartitioner = new BuiltInPartitioner(batchSize,
                config.getBoolean(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG));
        this.interceptors = new ProducerInterceptors<>(Plugins.newInstances(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                config.getList(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), ProducerInterceptor.class), configs);
        this.channels = new Channels(clientId);
        this.metadata = new ClientMetadata(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), channels, time,
                config.getLong(ProducerConfig.METADATA_MAX_AGE_CONFIG), config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        this.accumulator = new RecordAccumulator(batchSize, config.getLong(ProducerConfig.LINGER_MS_CONFIG), maxRequestBytes,
                CompressionType.forName(config.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)),
                new BufferBudget(bufferMemoryBytes, batchSize));
        this.sender = new Sender(senderSettings(config), accumulator, metadata, channels, time, interceptors::onAcknowledgement);
        this.networkThread = new Thread(sender, "tributary-producer-network-thread | " + clientId);
        networkThread.setDaemon(true);
        networkThread.start();
    }

    private static Sender.Settings senderSettings(ParsedConfig config) {
        String acks = config.getString(ProducerConfig.ACKS_CONFIG);
        Acks wireAcks = switch (acks) {
            case "0" -> Acks.ACKS_NONE;
            case "1" -> Acks.ACKS_LEADER;
            default -> Acks.ACKS_ALL;
        };
        return new Sender.Settings(wireAcks, config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), config.getInt(ProducerConfig.RETRIES_CONFIG),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * Sends a record. Errors the broker or the wait for metadata or memory can produce (an
     * {@link ApiException}: unknown topic, record too large, timeout…) complete the future
     * exceptionally and reach the callback; programming errors (serialization failure, invalid
     * partition, a closed producer) are thrown.
     */
    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        ProducerRecord<K, V> intercepted = interceptors.onSend(record);
        TopicPartition tp = null;
        try {
            ensureOpen();
            long startMs = time.milliseconds();
            ClusterView view = waitOnMetadata(intercepted.topic(), intercepted.partition(),
                    Deadlines.after(startMs, maxBlockMs));
            byte[] key = serialize(keySerializer, intercepted, intercepted.key(), "key");
            byte[] value = serialize(valueSerializer, intercepted, intercepted.value(), "value");
            intercepted.headers().setReadOnly();
            List<Header> headers = intercepted.headers().asList();
            int estimatedBytes = ProducerBatch.estimateBatchBytes(key, value, headers);
            ensureValidRecordSize(estimatedBytes);
            int partition = partition(intercepted, key, value, view, estimatedBytes);
            tp = new TopicPartition(intercepted.topic(), partition);
            long timestamp = intercepted.timestamp() != null ? intercepted.timestamp() : time.milliseconds();
            long blockLeftMs = Math.max(0, maxBlockMs - (time.milliseconds() - startMs));
            RecordAccumulator.AppendResult result = accumulator.append(tp, timestamp, key, value, headers, callback,
                    blockLeftMs, time.milliseconds());
            if (result.wakeSender()) {
                sender.wakeup();
            }
            return result.future();
        } catch (ApiException e) {
            int partition = tp != null ? tp.partition() : intercepted.partition() == null ? -1 : intercepted.partition();
            RecordMetadata nothing = new RecordMetadata(intercepted.topic(), partition, -1, -1, -1, -1);
            interceptors.onAcknowledgement(nothing, e);
            if (callback != null) {
                callback.onCompletion(nothing, e);
            }
            return CompletableFuture.failedFuture(e);
        } catch (TributaryException | IllegalStateException | IllegalArgumentException e) {
            interceptors.onSendError(intercepted, tp, e);
            throw e;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cannot send after the producer is closed");
        }
    }

    private <T> byte[] serialize(Serializer<T> serializer, ProducerRecord<K, V> record, T data, String what) {
        try {
            return serializer.serialize(record.topic(), record.headers(), data);
        } catch (ClassCastException e) {
            throw new SerializationException("cannot serialize the " + what + " of a record for topic " + record.topic()
                    + " with " + serializer.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private void ensureValidRecordSize(int sizeBytes) {
        if (sizeBytes > maxRequestBytes) {
            throw new RecordTooLargeException("the record is " + sizeBytes + " bytes when serialized, which is larger "
                    + "than " + maxRequestBytes + ", the value of the max.request.size configuration");
        }
        if (sizeBytes > bufferMemoryBytes) {
            throw new RecordTooLargeException("the record is " + sizeBytes + " bytes when serialized, which is larger "
                    + "than " + bufferMemoryBytes + ", the value of the buffer.memory configuration");
        }
    }

    private int partition(ProducerRecord<K, V> record, byte[] key, byte[] value, ClusterView view, int sizeBytes) {
        List<PartitionInfo> partitions = view.partitionsFor(record.topic());
        if (record.partition() != null) {
            return record.partition();
        }
        if (partitioner != null) {
            int chosen = partitioner.partition(record.topic(), record.key(), key, record.value(), value, partitions);
            if (chosen < 0 || chosen >= partitions.size()) {
                throw new IllegalArgumentException(partitioner.getClass().getName() + " returned partition " + chosen
                        + " for topic " + record.topic() + ", which has partitions [0.." + (partitions.size() - 1) + "]");
            }
            return chosen;
        }
        return builtInPartitioner.partition(record.topic(), key, partitions, sizeBytes);
    }

    /**
     * Waits until metadata describes {@code topic} (and {@code partition}, if given), refreshing it
     * with backoff, until {@code deadlineMs}.
     *
     * @throws TimeoutException when the deadline passes first
     * @throws IllegalArgumentException when fresh metadata shows the topic has fewer partitions
     */
    private ClusterView waitOnMetadata(String topic, Integer partition, long deadlineMs) {
        metadata.addTopic(topic);
        ClusterView view = metadata.view();
        boolean fresh = false;
        String lastError = "";
        for (int attempt = 0; ; attempt++) {
            int count = view.partitionCount(topic);
            if (count > 0 && (partition == null || partition < count)) {
                return view;
            }
            if (count > 0 && fresh) {
                throw new IllegalArgumentException("invalid partition given with record: " + partition
                        + " is not in the range [0..." + count + ") of topic " + topic);
            }
            long leftMs = deadlineMs - time.milliseconds();
            if (leftMs <= 0) {
                throw new TimeoutException("topic " + topic + (partition == null ? "" : " partition " + partition)
                        + " not present in metadata after " + maxBlockMs + " ms (max.block.ms)" + lastError);
            }
            if (attempt > 0) {
                pause(Math.min(leftMs, config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)));
            }
            try {
                view = metadata.refresh();
                fresh = true;
            } catch (TributaryException e) {
                lastError = "; last error: " + e.getMessage();
                fresh = false;
            }
        }
    }

    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting for metadata", e);
        }
    }

    @Override
    public void flush() {
        if (sender.isNetworkThread() || ProducerBatch.isCompletingOnThisThread()) {
            throw new IllegalStateException("flush() called from a send callback would wait for itself");
        }
        List<CompletableFuture<Void>> pending = accumulator.beginFlush();
        sender.wakeup();
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get();
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while flushing the producer", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch completion futures never fail", e);
        } finally {
            accumulator.endFlush();
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        ensureOpen();
        return waitOnMetadata(topic, null, Deadlines.after(time.milliseconds(), maxBlockMs)).partitionsFor(topic);
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the close timeout cannot be negative: " + timeout);
        }
        closed = true;
        accumulator.beginClosing();
        boolean fromCallback = sender.isNetworkThread() || ProducerBatch.isCompletingOnThisThread();
        if (fromCallback) {
            log.warn("close() called from a send callback; closing without waiting for unsent records");
            sender.forceClose();
            Thread closer = new Thread(() -> {
                joinQuietly(networkThread);
                releaseResources();
            }, "tributary-producer-closer | " + clientId);
            closer.setDaemon(true);
            closer.start();
            return;
        }
        sender.initiateClose();
        try {
            networkThread.join(Math.max(1, timeout.toMillis()));
            if (networkThread.isAlive()) {
                log.info("Closing producer {} forcefully: records still unsent after {} ms", clientId, timeout.toMillis());
                sender.forceClose();
                networkThread.join();
            }
        } catch (InterruptedException e) {
            sender.forceClose();
            throw new InterruptException("interrupted while closing the producer", e);
        } finally {
            releaseResources();
        }
    }

    private void releaseResources() {
        channels.close();
        interceptors.close();
        closeQuietly(keySerializer);
        closeQuietly(valueSerializer);
        if (partitioner != null) {
            closeQuietly(partitioner);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing {} failed", closeable.getClass().getName(), e);
        }
    }
}
