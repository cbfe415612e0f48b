package io.tributary.tools;

import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.common.TopicPartition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary e2e-latency}: Kafka's {@code kafka-e2e-latency} for Tributary. Sends one record at
 * a time to partition 0 and waits until a consumer of that partition receives it; the latency is
 * from {@code send()} to the record coming out of {@code poll()}, so with acks=all it covers
 * replication, the high watermark and the consumer's long poll. Prints Kafka's summary lines.
 */
@Command(name = "e2e-latency", sortOptions = false,
        description = {"Measures end-to-end latency: produce one record, consume it, repeat; prints the average "
                + "and the 50th, 99th and 99.9th percentiles in the format of Kafka's kafka-e2e-latency."})
final class EndToEndLatencyCommand extends ClientCommand {

    private static final long RECEIVE_TIMEOUT_MS = 60_000;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic (partition 0 is used).")
    String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N", description = "How many round trips to time.")
    int numRecords;

    @Option(names = "--producer-acks", paramLabel = "ACKS", defaultValue = "all", description = "acks: 0, 1 or all.")
    String acks;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES", description = "The size of each record's value.")
    int recordSize;

    @Override
    int execute() {
        if (numRecords <= 0 || recordSize <= 0) {
            throw usageError("--num-records and --record-size must be positive");
        }
        if (!List.of("0", "1", "all", "-1").contains(acks)) {
            throw usageError("--producer-acks must be 0, 1, all or -1, got " + acks);
        }
        Map<String, Object> producerConfig = connection.producerConfig(Map.of(), Map.of(ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.LINGER_MS_CONFIG, "0"));
        Map<String, Object> consumerConfig = connection.clientConfig(Map.of(),
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500"));
        TopicPartition partition = new TopicPartition(topic, 0);
        long[] latenciesNs = new long[numRecords];
        try (TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(producerConfig,
                new ByteArraySerializer(), new ByteArraySerializer());
             TributaryConsumer<byte[], byte[]> consumer = byteConsumer(consumerConfig)) {
            TopicChecks.requireTopic(connection, producerConfig, topic);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            SplittableRandom random = new SplittableRandom(0);
            for (int i = 0; i < numRecords; i++) {
                byte[] value = new byte[recordSize];
                random.nextBytes(value);
                long startNs = System.nanoTime();
                send(producer, value);
                receive(consumer, value);
                latenciesNs[i] = System.nanoTime() - startNs;
                if (i % 1000 == 0) {
                    out().println(i + "\t" + latenciesNs[i] / 1_000_000.0);
                }
            }
        }
        printSummary(latenciesNs);
        return 0;
    }

    private void send(TributaryProducer<byte[], byte[]> producer, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending to " + topic + "-0 failed: " + e.getCause().getMessage(), e);
        }
    }

    /** Polls until the record just sent arrives; anything else arriving first is an error, as in Kafka's tool. */
    private static void receive(TributaryConsumer<byte[], byte[]> consumer, byte[] sent) {
        long deadlineMs = System.currentTimeMillis() + RECEIVE_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadlineMs) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (!Arrays.equals(sent, record.value())) {
                    throw new IllegalStateException("the consumer received a different record at offset "
                            + record.offset() + " than was just sent: is another producer writing to the topic?");
                }
                return;
            }
        }
        throw new IllegalStateException("the record sent was not consumed within " + RECEIVE_TIMEOUT_MS + " ms");
    }

    private void printSummary(long[] latenciesNs) {
        long[] sorted = latenciesNs.clone();
        Arrays.sort(sorted);
        double averageMs = Arrays.stream(sorted).average().orElse(0) / 1_000_000.0;
        out().printf(Locale.ROOT, "Avg latency: %.4f ms%n", averageMs);
        out().printf(Locale.ROOT, "Percentiles: 50th = %d, 99th = %d, 99.9th = %d%n", percentileMs(sorted, 0.5),
                percentileMs(sorted, 0.99), percentileMs(sorted, 0.999));
        out().flush();
    }

    private static long percentileMs(long[] sortedNs, double quantile) {
        return sortedNs[(int) Math.min(sortedNs.length - 1, (long) (sortedNs.length * quantile))] / 1_000_000;
    }
}
