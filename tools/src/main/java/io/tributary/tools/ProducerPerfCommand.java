package io.tributary.tools;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.common.Time;
import io.tributary.tools.internal.ProducerPerfStats;
import io.tributary.tools.internal.SendFailures;
import io.tributary.tools.internal.ThroughputThrottler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary producer-perf-test}: Kafka's {@code kafka-producer-perf-test} for Tributary, with
 * its options and its output: a progress line about every 5 s and a final line with throughput,
 * average and maximum latency, and latency percentiles. Latency is the time from {@code send()} to
 * the record's callback.
 */
@Command(name = "producer-perf-test", sortOptions = false,
        description = {"Sends --num-records records of --record-size random bytes as fast as allowed and reports "
                + "throughput and latency (from send() to acknowledgement) in the format of Kafka's "
                + "kafka-producer-perf-test."})
final class ProducerPerfCommand extends ClientCommand {

    static final long REPORTING_INTERVAL_MS = 5_000;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to produce to.")
    String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N", description = "How many records to send.")
    long numRecords;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES", description = "The size of each record's value.")
    int recordSize;

    @Option(names = "--throughput", required = true, paramLabel = "RECORDS/SEC",
            description = "Hold the rate to about this many records per second; -1 for no limit.")
    double throughput;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Producer configuration (acks=1 linger.ms=5 ...). Overrides --producer.config.")
    Map<String, String> producerProps = new LinkedHashMap<>();

    @Option(names = "--producer.config", paramLabel = "FILE", description = "A properties file of producer configuration.")
    Path producerConfigFile;

    @Override
    int execute() {
        if (numRecords <= 0 || recordSize <= 0) {
            throw usageError("--num-records and --record-size must be positive");
        }
        if (throughput == 0) {
            throw usageError("--throughput must be positive, or -1 for no limit");
        }
        Map<String, Object> config = connection.producerConfig(loadProperties(producerConfigFile, "--producer.config"),
                producerProps);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "perf-producer-client");
        TopicChecks.requireTopic(connection, config, topic);
        ProducerPerfStats stats = new ProducerPerfStats(numRecords, REPORTING_INTERVAL_MS, Time.SYSTEM, out());
        SendFailures failures = new SendFailures();
        try (TributaryProducer<byte[], byte[]> producer =
                     new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            sendAll(producer, stats, failures);
        }
        stats.printTotal();
        failures.throwIfAny(numRecords, topic);
        return 0;
    }

    private void sendAll(TributaryProducer<byte[], byte[]> producer, ProducerPerfStats stats, SendFailures failures) {
        byte[] payload = new byte[recordSize];
        SplittableRandom random = new SplittableRandom(0);
        long startMs = Time.SYSTEM.milliseconds();
        ThroughputThrottler throttler = new ThroughputThrottler(throughput, startMs, Time.SYSTEM);
        for (long i = 0; i < numRecords; i++) {
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) ('A' + random.nextInt(26));
            }
            long sendStartMs = Time.SYSTEM.milliseconds();
            producer.send(new ProducerRecord<>(topic, payload), (metadata, error) -> {
                long nowMs = Time.SYSTEM.milliseconds();
                if (error == null) {
                    stats.record((int) (nowMs - sendStartMs), recordSize, nowMs);
                }
                failures.record(error);
            });
            if (throttler.shouldThrottle(i, sendStartMs)) {
                throttler.throttle();
            }
        }
    }
}
