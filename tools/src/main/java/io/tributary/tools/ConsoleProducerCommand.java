package io.tributary.tools;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.LineRecordReader;
import io.tributary.tools.internal.SendFailures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tributary console-producer}: one record per line of standard input, like Kafka's console producer. */
@Command(name = "console-producer", sortOptions = false,
        description = {"Reads lines from standard input and sends each as a record to a topic.",
            "Line format (with --property): [headers<headers.delimiter>][key<key.separator>]value, headers as "
                + "k1<headers.key.separator>v1<headers.separator>k2...",
            "Properties: parse.key (false), key.separator (tab), parse.headers (false), headers.delimiter (tab), "
                + "headers.separator (,), headers.key.separator (:), ignore.error (false), null.marker (unset)."})
final class ConsoleProducerCommand extends ClientCommand {

    @ParentCommand
    TributaryCommand root;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to produce to.")
    String topic;

    @Option(names = "--property", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "How lines are read: parse.key=true, key.separator=:, parse.headers=true, ...")
    Map<String, String> readerProperties = new LinkedHashMap<>();

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
            description = "A producer configuration (acks, linger.ms, ...); repeatable. Overrides --producer.config.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--producer.config", paramLabel = "FILE", description = "A properties file of producer configuration.")
    Path producerConfigFile;

    @Option(names = "--request-required-acks", paramLabel = "ACKS",
            description = "acks: 0, 1 or all (-1). Default: the producer properties', else all.")
    String acks;

    @Option(names = "--compression-codec", paramLabel = "CODEC", arity = "0..1", fallbackValue = "gzip",
            description = "none, gzip, snappy, lz4 or zstd; gzip when given without a value. Default: none.")
    String compression;

    @Option(names = "--sync", description = "Wait for each record's acknowledgement before reading the next line.")
    boolean sync;

    @Override
    int execute() throws Exception {
        LineRecordReader reader;
        try {
            reader = new LineRecordReader(topic, readerProperties);
        } catch (IllegalArgumentException e) {
            throw usageError("--property: " + e.getMessage());
        }
        Map<String, Object> config = connection.producerConfig(loadProperties(producerConfigFile, "--producer.config"),
                producerProperties);
        if (acks != null) {
            config.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (compression != null) {
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        TopicChecks.requireTopic(connection, config, topic);
        BufferedReader input = new BufferedReader(new InputStreamReader(root.stdin(), StandardCharsets.UTF_8));
        long read = 0;
        SendFailures failures = new SendFailures();
        try (TributaryProducer<byte[], byte[]> producer =
                     new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record = nextRecord(reader, input); record != null;
                 record = nextRecord(reader, input)) {
                read++;
                producer.send(record, (metadata, error) -> failures.record(error));
                if (sync) {
                    producer.flush();
                }
            }
        }
        failures.throwIfAny(read, topic);
        return 0;
    }

    private static ProducerRecord<byte[], byte[]> nextRecord(LineRecordReader reader, BufferedReader input) {
        try {
            return reader.next(input);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (records before it were sent)", e);
        }
    }
}
