package io.tributary.tools;

import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.TopicPartition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary consumer-perf-test}: Kafka's {@code kafka-consumer-perf-test} for Tributary, with
 * its options and its CSV output. There are no consumer groups yet: the test reads every partition of
 * the topic from the beginning itself, so {@code rebalance.time.ms} is always 0.
 */
@Command(name = "consumer-perf-test", sortOptions = false,
        description = {"Consumes --messages records and reports throughput as CSV, in the format of Kafka's "
                + "kafka-consumer-perf-test.",
            "There are no consumer groups yet: it reads every partition of the topic from the beginning, without a "
                + "group, so rebalance.time.ms is 0."})
final class ConsumerPerfCommand extends ClientCommand {

    private static final String HEADER_TAIL = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    private static final double MB = 1024 * 1024;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to consume.")
    String topic;

    @Option(names = "--messages", required = true, paramLabel = "N", description = "How many records to consume.")
    long messages;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000",
            description = "Give up when no record arrives for this long. Default: ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Option(names = "--show-detailed-stats", description = "Print a line per --reporting-interval instead of a summary.")
    boolean showDetailedStats;

    @Option(names = "--reporting-interval", paramLabel = "MS", defaultValue = "5000",
            description = "How often --show-detailed-stats prints. Default: ${DEFAULT-VALUE}.")
    long reportingIntervalMs;

    @Option(names = "--fetch-size", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Bytes to fetch per partition and request (max.partition.fetch.bytes). Default: ${DEFAULT-VALUE}.")
    int fetchSize;

    @Option(names = "--date-format", paramLabel = "PATTERN", defaultValue = "yyyy-MM-dd HH:mm:ss:SSS",
            description = "java.text.SimpleDateFormat pattern of the time columns. Default: ${DEFAULT-VALUE}.")
    String dateFormat;

    @Option(names = "--hide-header", description = "Do not print the CSV header.")
    boolean hideHeader;

    @Option(names = "--consumer.config", paramLabel = "FILE", description = "A properties file of consumer configuration.")
    Path consumerConfigFile;

    /** Running totals and the last reporting point. */
    private long bytesRead;
    private long messagesRead;
    private long lastBytesRead;
    private long lastMessagesRead;
    private long lastReportMs;

    @Override
    int execute() {
        if (messages <= 0 || timeoutMs <= 0 || reportingIntervalMs <= 0 || fetchSize <= 0) {
            throw usageError("--messages, --timeout, --reporting-interval and --fetch-size must be positive");
        }
        SimpleDateFormat format;
        try {
            format = new SimpleDateFormat(dateFormat, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw usageError("--date-format: " + e.getMessage());
        }
        Map<String, Object> config = connection.clientConfig(loadProperties(consumerConfigFile, "--consumer.config"),
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchSize),
                        ConsumerConfig.CHECK_CRCS_CONFIG, "false"));
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");
        if (!hideHeader) {
            out().println((showDetailedStats ? "time, threadId" : "start.time, end.time")
                    + ", data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec" + HEADER_TAIL);
        }
        try (TributaryConsumer<byte[], byte[]> consumer = byteConsumer(config)) {
            List<TopicPartition> partitions = TopicChecks.partitionsOf(consumer, topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long startMs = System.currentTimeMillis();
            consume(consumer, format);
            long endMs = System.currentTimeMillis();
            if (!showDetailedStats) {
                printSummary(format, startMs, endMs);
            }
        }
        out().flush();
        return 0;
    }

    private void consume(TributaryConsumer<byte[], byte[]> consumer, SimpleDateFormat format) {
        long nowMs = System.currentTimeMillis();
        long lastConsumedMs = nowMs;
        lastReportMs = nowMs;
        while (messagesRead < messages && nowMs - lastConsumedMs <= timeoutMs) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            nowMs = System.currentTimeMillis();
            if (!records.isEmpty()) {
                lastConsumedMs = nowMs;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                messagesRead++;
                bytesRead += (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                if (nowMs - lastReportMs >= reportingIntervalMs) {
                    if (showDetailedStats) {
                        printProgress(format, nowMs);
                    }
                    lastReportMs = nowMs;
                    lastMessagesRead = messagesRead;
                    lastBytesRead = bytesRead;
                }
            }
        }
        if (messagesRead < messages) {
            out().printf(Locale.ROOT, "WARNING: Exiting before consuming the expected number of messages: timeout (%d ms) "
                    + "exceeded. You can use the --timeout option to increase the timeout.%n", timeoutMs);
        }
    }

    /** One --show-detailed-stats line: totals so far, rates over the last interval. */
    private void printProgress(SimpleDateFormat format, long nowMs) {
        double elapsedMs = Math.max(1, nowMs - lastReportMs);
        double intervalMb = (bytesRead - lastBytesRead) / MB;
        long intervalMessages = messagesRead - lastMessagesRead;
        PrintWriter out = out();
        out.printf(Locale.ROOT, "%s, %d, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", format.format(nowMs), 0,
                bytesRead / MB, 1000.0 * intervalMb / elapsedMs, messagesRead, 1000.0 * intervalMessages / elapsedMs,
                0, (long) elapsedMs, 1000.0 * intervalMb / elapsedMs, 1000.0 * intervalMessages / elapsedMs);
        out.flush();
    }

    private void printSummary(SimpleDateFormat format, long startMs, long endMs) {
        double elapsedSec = Math.max(1, endMs - startMs) / 1000.0;
        long rebalanceMs = 0;
        long fetchMs = Math.max(1, endMs - startMs - rebalanceMs);
        double totalMb = bytesRead / MB;
        out().printf(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", format.format(startMs),
                format.format(endMs), totalMb, totalMb / elapsedSec, messagesRead, messagesRead / elapsedSec,
                rebalanceMs, fetchMs, totalMb / (fetchMs / 1000.0), messagesRead / (fetchMs / 1000.0));
    }
}
