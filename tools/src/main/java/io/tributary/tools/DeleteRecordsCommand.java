package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.DeletedRecords;
import io.tributary.client.admin.RecordsToDelete;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.OffsetJsonFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary delete-records}: Kafka's {@code kafka-delete-records.sh}. */
@Command(name = "delete-records", sortOptions = false,
        description = {"Deletes the records of partitions below given offsets: each offset becomes its partition's "
                + "log start offset (low watermark), so consumers can no longer read what lies below it.",
            "The offset JSON file: {\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":3}],\"version\":1}; "
                + "offset -1 means the high watermark (everything committed).",
            "Prints each partition's new low watermark or its error; exits with 1 when some partition failed "
                + "(unlike kafka-delete-records.sh, which exits with 0).",
            "A partition whose leader is unknown (e.g. no such topic) or whose in-sync replicas do not confirm is "
                + "retried until --command-timeout-ms."})
final class DeleteRecordsCommand extends ClientCommand {

    @Option(names = "--offset-json-file", required = true, paramLabel = "FILE",
            description = "The JSON file with the partitions and offsets (see above).")
    Path offsetJsonFile;

    @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client configuration.")
    Path configFile;

    @Override
    int execute() throws Exception {
        Map<TopicPartition, RecordsToDelete> request = new LinkedHashMap<>();
        for (OffsetJsonFile.Entry entry : readOffsets()) {
            request.put(new TopicPartition(entry.topic(), entry.partition()),
                    RecordsToDelete.beforeOffset(entry.offset()));
        }
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
        out().println("Executing records delete operation");
        out().flush();
        Map<TopicPartition, Object> outcomes = new LinkedHashMap<>();
        try (Admin admin = Admin.create(config)) {
            for (Map.Entry<TopicPartition, CompletableFuture<DeletedRecords>> result
                    : admin.deleteRecords(request).lowWatermarks().entrySet()) {
                outcomes.put(result.getKey(), outcome(result.getValue()));
            }
        }
        return report(outcomes);
    }

    private List<OffsetJsonFile.Entry> readOffsets() {
        String json;
        try {
            json = Files.readString(offsetJsonFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usageError("--offset-json-file: cannot read " + offsetJsonFile + " (" + e + ")");
        }
        try {
            return OffsetJsonFile.parse(json);
        } catch (IllegalArgumentException e) {
            throw usageError("--offset-json-file " + offsetJsonFile + ": " + e.getMessage());
        }
    }

    /** The partition's low watermark, or the exception it failed with. */
    private static Object outcome(CompletableFuture<DeletedRecords> future) throws InterruptedException {
        try {
            return future.get().lowWatermark();
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Kafka's output, one line per partition in file order. When no node answered at all (the
     * cluster could not be reached in time), that timeout is the command's error instead.
     */
    private int report(Map<TopicPartition, Object> outcomes) {
        if (outcomes.values().stream().allMatch(DeleteRecordsCommand::noNodeAnswered)) {
            throw (TimeoutException) outcomes.values().iterator().next();
        }
        out().println("Records delete operation completed:");
        int failed = 0;
        for (Map.Entry<TopicPartition, Object> outcome : outcomes.entrySet()) {
            if (outcome.getValue() instanceof Throwable error) {
                failed++;
                out().println("partition: " + outcome.getKey() + "\terror: " + error.getMessage());
            } else {
                out().println("partition: " + outcome.getKey() + "\tlow_watermark: " + outcome.getValue());
            }
        }
        out().flush();
        if (failed > 0) {
            throw new CommandException(failed + " of " + outcomes.size() + " partition(s) could not be deleted");
        }
        return 0;
    }

    /**
     * Whether {@code outcome} is a timeout with no node's answer behind it: no error known, or the
     * transport's (a connection refused, an RPC deadline: errors the client maps from a gRPC status,
     * so they carry it as their cause). An error a node answered (unknown topic, REQUEST_TIMED_OUT)
     * has no cause.
     */
    private static boolean noNodeAnswered(Object outcome) {
        if (!(outcome instanceof TimeoutException timeout)) {
            return false;
        }
        Throwable last = timeout.getCause();
        return last == null || ((last instanceof BrokerNotAvailableException || last instanceof TimeoutException)
                && last.getCause() != null);
    }
}
