package io.tributary.tools;

import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.WakeupException;
import io.tributary.tools.internal.RecordFormatter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary console-consumer}: prints records of a topic, like Kafka's console consumer. Without
 * {@code --group} it reads every partition of the topic (or the one given) itself; with it, it joins
 * that consumer group, reads the partitions the group gives it and commits what it printed
 * (auto-commit, and on exit), so the next run in the group goes on from there.
 */
@Command(name = "console-consumer", sortOptions = false,
        description = {"Prints the records of a topic on standard output, one per line, until Ctrl-C, "
                + "--max-messages or --timeout-ms.",
            "Reads every partition of the topic (or only --partition) without a consumer group, from the end "
                + "unless --from-beginning or --offset says otherwise. With --group it joins that consumer group "
                + "instead: it reads the partitions the group assigns it, from the group's committed offsets (else "
                + "the end, or the beginning with --from-beginning), and commits what it printed. Prints "
                + "'Processed a total of N messages' on stderr at the end.",
            "Properties: print.timestamp, print.partition, print.offset, print.headers, print.key (false), "
                + "print.value (true), key.separator (tab), line.separator (newline), headers.separator (,), "
                + "null.literal (null)."})
final class ConsoleConsumerCommand extends ClientCommand {

    private static final Logger log = LoggerFactory.getLogger(ConsoleConsumerCommand.class);
    private static final long MAX_POLL_MS = 1000;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to consume.")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "Consume only this partition.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "N|earliest|latest",
            description = "Where to start in --partition: an offset, earliest or latest. Default: latest.")
    String offset;

    @Option(names = "--from-beginning", description = "Start at the earliest offset of each partition "
            + "(with --group: of each partition the group has no committed offset for).")
    boolean fromBeginning;

    @Option(names = "--group", paramLabel = "GROUP", description = "Consume as a member of this consumer group "
            + "(group.id), committing offsets; not with --partition or --offset.")
    String group;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after printing this many records.")
    Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Exit when no record arrives for this long.")
    Long timeoutMs;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "How records are printed: print.key=true, print.timestamp=true, key.separator=:, ...")
    Map<String, String> formatterProperties = new LinkedHashMap<>();

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE",
            description = "A consumer configuration (fetch.max.bytes, ...); repeatable. Overrides --consumer.config.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(names = "--consumer.config", paramLabel = "FILE", description = "A properties file of consumer configuration.")
    Path consumerConfigFile;

    @Override
    int execute() {
        validate();
        RecordFormatter formatter = new RecordFormatter(formatterProperties);
        Map<String, Object> config = connection.clientConfig(loadProperties(consumerConfigFile, "--consumer.config"),
                consumerProperties);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            Object reset = config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    fromBeginning ? "earliest" : "latest");
            if (fromBeginning && reset != null && !"earliest".equals(reset.toString())) {
                throw usageError("--from-beginning contradicts auto.offset.reset=" + reset);
            }
        }
        try (TributaryConsumer<byte[], byte[]> consumer = byteConsumer(config)) {
            List<TopicPartition> partitions = partitionsToRead(consumer);
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(partitions);
                seek(consumer, partitions);
            }
            consumeUntilDone(consumer, formatter);
        }
        return 0;
    }

    private void validate() {
        if (group != null && (partition != null || offset != null)) {
            throw usageError("--group reads the partitions the group assigns; it cannot be used with --partition or "
                    + "--offset");
        }
        if (group != null && group.isBlank()) {
            throw usageError("--group needs a group id");
        }
        if (offset != null && partition == null) {
            throw usageError("--offset needs --partition");
        }
        if (offset != null && fromBeginning) {
            throw usageError("--offset and --from-beginning cannot be used together");
        }
        if (offset != null && !offset.equals("earliest") && !offset.equals("latest") && !offset.matches("\\d+")) {
            throw usageError("--offset must be a non-negative number, earliest or latest; got '" + offset + "'");
        }
        if (maxMessages != null && maxMessages <= 0 || timeoutMs != null && timeoutMs <= 0) {
            throw usageError("--max-messages and --timeout-ms must be positive");
        }
    }

    private List<TopicPartition> partitionsToRead(TributaryConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> partitions = TopicChecks.partitionsOf(consumer, topic);
        if (partition == null) {
            return partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        if (partition < 0 || partition >= partitions.size()) {
            throw usageError("topic '" + topic + "' has no partition " + partition + " (it has " + partitions.size() + ")");
        }
        return List.of(new TopicPartition(topic, partition));
    }

    private void seek(TributaryConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (fromBeginning || "earliest".equals(offset)) {
            consumer.seekToBeginning(partitions);
        } else if (offset == null || offset.equals("latest")) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seek(partitions.getFirst(), Long.parseLong(offset));
        }
    }

    /**
     * Polls and prints until --max-messages, --timeout-ms or a shutdown signal, then prints the total.
     * On Ctrl-C or SIGTERM a JVM shutdown hook wakes the consumer up and waits until the total is out.
     */
    private void consumeUntilDone(TributaryConsumer<byte[], byte[]> consumer, RecordFormatter formatter) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            consumer.wakeup();
            awaitQuietly(finished);
        }, "console-consumer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long printed = printRecords(consumer, formatter);
            err().println("Processed a total of " + printed + " messages");
            err().flush();
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private long printRecords(TributaryConsumer<byte[], byte[]> consumer, RecordFormatter formatter) {
        PrintWriter out = out();
        long printed = 0;
        try {
            long lastRecordNs = System.nanoTime();
            while (maxMessages == null || printed < maxMessages) {
                long waitMs = timeoutMs == null ? MAX_POLL_MS
                        : timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordNs);
                if (waitMs <= 0) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.min(waitMs, MAX_POLL_MS)));
                if (!records.isEmpty()) {
                    lastRecordNs = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (maxMessages != null && printed >= maxMessages) {
                        rewindTo(consumer, record);
                        continue;
                    }
                    out.print(formatter.format(record));
                    printed++;
                }
                out.flush();
            }
        } catch (WakeupException e) {
            log.debug("Woken up by the shutdown hook; stopping");
        }
        out.flush();
        return printed;
    }

    /**
     * Moves the partition's position back to a record that was fetched but not printed (the first one
     * per partition wins, records come in offset order), so the commit on exit covers only what was printed.
     */
    private static void rewindTo(TributaryConsumer<byte[], byte[]> consumer, ConsumerRecord<byte[], byte[]> record) {
        if (consumer.position(record.topicPartition()) > record.offset()) {
            consumer.seek(record.topicPartition(), record.offset());
        }
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            if (!finished.await(10, TimeUnit.SECONDS)) {
                log.warn("The consumer did not stop within 10 s of the shutdown signal");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            log.debug("The JVM is shutting down; the hook stays", e);
        }
    }
}
