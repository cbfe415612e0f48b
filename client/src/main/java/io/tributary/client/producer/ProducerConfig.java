package io.tributary.client.producer;

import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LIST;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.Type.STRING;
import static io.tributary.common.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.common.config.ConfigDef.atLeast;
import static io.tributary.common.config.ConfigDef.oneOf;

import io.tributary.client.CommonClientConfigs;
import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;

/** The producer's configuration keys, named and defaulted as in Kafka's producer. */
public final class ProducerConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String CLIENT_ID_CONFIG = CommonClientConfigs.CLIENT_ID_CONFIG;
    public static final String ACKS_CONFIG = "acks";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String LINGER_MS_CONFIG = "linger.ms";
    public static final String BUFFER_MEMORY_CONFIG = "buffer.memory";
    public static final String MAX_BLOCK_MS_CONFIG = "max.block.ms";
    public static final String COMPRESSION_TYPE_CONFIG = "compression.type";
    public static final String KEY_SERIALIZER_CLASS_CONFIG = "key.serializer";
    public static final String VALUE_SERIALIZER_CLASS_CONFIG = "value.serializer";
    public static final String PARTITIONER_CLASS_CONFIG = "partitioner.class";
    public static final String PARTITIONER_IGNORE_KEYS_CONFIG = "partitioner.ignore.keys";
    public static final String INTERCEPTOR_CLASSES_CONFIG = "interceptor.classes";
    public static final String RETRIES_CONFIG = "retries";
    public static final String RETRY_BACKOFF_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG;
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG;
    public static final String DELIVERY_TIMEOUT_MS_CONFIG = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG;
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    public static final String MAX_REQUEST_SIZE_CONFIG = "max.request.size";
    public static final String METADATA_MAX_AGE_CONFIG = CommonClientConfigs.METADATA_MAX_AGE_CONFIG;

    public static final ConfigDef CONFIG_DEF = CommonClientConfigs.define(new ConfigDef(), 30_000)
            .define(ACKS_CONFIG, STRING, "all", oneOf("all", "-1", "0", "1"),
                    "Acknowledgements a send waits for: 0 none, 1 the leader's append, all (-1) every in-sync replica.")
            .define(BATCH_SIZE_CONFIG, INT, "16384", atLeast(0),
                    "Target bytes of records per partition batch; a batch is sent when full or after linger.ms.")
            .define(LINGER_MS_CONFIG, LONG, "5", atLeast(0),
                    "How long a batch waits for more records before it is sent.")
            .define(BUFFER_MEMORY_CONFIG, LONG, "33554432", atLeast(0),
                    "Bytes of records the producer holds before send() blocks (up to max.block.ms).")
            .define(MAX_BLOCK_MS_CONFIG, LONG, "60000", atLeast(0),
                    "How long send() and partitionsFor() may block for metadata or buffer space.")
            .define(COMPRESSION_TYPE_CONFIG, STRING, "none", oneOf("none", "gzip", "snappy", "lz4", "zstd"),
                    "Codec for record batches.")
            .define(KEY_SERIALIZER_CLASS_CONFIG, STRING, null, "Serializer class for keys (unless given to the constructor).")
            .define(VALUE_SERIALIZER_CLASS_CONFIG, STRING, null,
                    "Serializer class for values (unless given to the constructor).")
            .define(PARTITIONER_CLASS_CONFIG, STRING, null,
                    "A Partitioner class; unset means Kafka's built-in (murmur2 of the key, sticky for null keys).")
            .define(PARTITIONER_IGNORE_KEYS_CONFIG, BOOLEAN, "false",
                    "With the built-in partitioner, spread keyed records like unkeyed ones.")
            .define(INTERCEPTOR_CLASSES_CONFIG, LIST, "", "ProducerInterceptor classes, called in order.")
            .define(RETRIES_CONFIG, INT, Integer.toString(Integer.MAX_VALUE), atLeast(0),
                    "How many times a batch that failed with a retriable error is resent (within delivery.timeout.ms).")
            .define(DELIVERY_TIMEOUT_MS_CONFIG, INT, "120000", atLeast(0),
                    "Upper bound from send() to success or failure, including batching, retries and waiting for acks.")
            .define(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, INT, "5", atLeast(1),
                    "Unanswered produce requests per broker; each partition has at most one, so order is kept on retry.")
            .define(MAX_REQUEST_SIZE_CONFIG, INT, "1048576", atLeast(1),
                    "Largest produce request and largest record (serialized) the producer sends.");

    private ProducerConfig() {
    }

    /**
     * Cross-key checks Kafka also makes.
     *
     * @throws InvalidConfigurationException naming the keys when delivery.timeout.ms is shorter than
     *     linger.ms + request.timeout.ms
     */
    static void validate(ParsedConfig config) {
        long minimum = config.getLong(LINGER_MS_CONFIG) + config.getInt(REQUEST_TIMEOUT_MS_CONFIG);
        if (config.getInt(DELIVERY_TIMEOUT_MS_CONFIG) < minimum) {
            throw new InvalidConfigurationException("configuration key 'delivery.timeout.ms' ("
                    + config.getInt(DELIVERY_TIMEOUT_MS_CONFIG) + ") must be at least linger.ms + request.timeout.ms ("
                    + minimum + ")");
        }
    }
}
