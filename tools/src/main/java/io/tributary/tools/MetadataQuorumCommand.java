package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.QuorumInfo.ReplicaState;
import io.tributary.client.admin.QuorumInfo;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.OutputFormat;
import io.tributary.tools.internal.QuorumReport;
import io.tributary.tools.internal.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary metadata-quorum}: Kafka's {@code kafka-metadata-quorum.sh}. */
@Command(name = "metadata-quorum", sortOptions = false,
        description = "Describes the metadata quorum (the controllers' Raft log) as its leader sees it.",
        subcommands = {MetadataQuorumCommand.Describe.class})
final class MetadataQuorumCommand {

    @Command(name = "describe", sortOptions = false,
            description = {"--status: the leader, its epoch, the high watermark, how far the furthest voter lags, the "
                + "voters and observers. --replication: one row per replica with its log end offset, lag behind "
                + "the leader, last fetch and last caught-up times (ms since the Unix epoch, leader's clock)."})
    static final class Describe extends ClientCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        /** Exactly one of these. */
        static final class What {
            @Option(names = "--status", required = true, description = "The quorum's summary.")
            boolean status;

            @Option(names = "--replication", required = true, description = "Each replica's replication progress.")
            boolean replication;
        }

        @Option(names = "--human-readable", description = "With --replication and text output: times as \"N ms ago\".")
        boolean humanReadable;

        @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
                description = "Text (the default) or one line of JSON.")
        String output;

        @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client "
                + "configuration.")
        Path configFile;

        @Override
        int execute() throws Exception {
            OutputFormat.isJson(output, spec.commandLine());
            if (humanReadable && (what.status || output.equals("json"))) {
                throw usageError("--human-readable is only valid with --replication and text output");
            }
            Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
            try (Admin admin = Admin.create(config)) {
                QuorumInfo quorum = await(admin.describeMetadataQuorum().quorumInfo());
                if (what.status) {
                    status(quorum, await(admin.describeCluster().clusterId()));
                } else {
                    replication(quorum, System.currentTimeMillis());
                }
            }
            out().flush();
            return 0;
        }

        private void status(QuorumInfo quorum, String clusterId) {
            List<Integer> voters = ids(quorum.voters());
            List<Integer> observers = ids(quorum.observers());
            long maxLag = QuorumReport.maxFollowerLag(quorum);
            long maxLagTimeMs = QuorumReport.maxFollowerLagTimeMs(quorum);
            if (output.equals("json")) {
                out().println(Json.write(Json.object("clusterId", clusterId, "leaderId", quorum.leaderId(),
                        "leaderEpoch", quorum.leaderEpoch(), "highWatermark", quorum.highWatermark(),
                        "maxFollowerLag", maxLag, "maxFollowerLagTimeMs", maxLagTimeMs,
                        "currentVoters", voters, "currentObservers", observers)));
                return;
            }
            line("ClusterId:", clusterId);
            line("LeaderId:", quorum.leaderId());
            line("LeaderEpoch:", quorum.leaderEpoch());
            line("HighWatermark:", quorum.highWatermark());
            line("MaxFollowerLag:", maxLag);
            line("MaxFollowerLagTimeMs:", maxLagTimeMs);
            line("CurrentVoters:", bracketed(voters));
            line("CurrentObservers:", bracketed(observers));
        }

        /** Kafka's layout: the label padded to 24 columns, then the value. */
        private void line(String label, Object value) {
            out().println(String.format("%-24s%s", label, value));
        }

        private static List<Integer> ids(List<ReplicaState> replicas) {
            return replicas.stream().map(ReplicaState::replicaId).toList();
        }

        private static String bracketed(List<Integer> ids) {
            return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        }

        private void replication(QuorumInfo quorum, long nowMs) {
            List<QuorumReport.Row> rows = QuorumReport.rows(quorum);
            if (output.equals("json")) {
                out().println(Json.write(rows.stream().<Object>map(row -> Json.object("nodeId", row.replica().replicaId(),
                        "logEndOffset", row.replica().logEndOffset(), "lag", row.lag(),
                        "lastFetchTimestamp", orNull(row.replica().lastFetchTimestamp()),
                        "lastCaughtUpTimestamp", orNull(row.replica().lastCaughtUpTimestamp()),
                        "status", row.status())).toList()));
                return;
            }
            Table table = new Table(List.of("NodeId", "LogEndOffset", "Lag", "LastFetchTimestamp",
                    "LastCaughtUpTimestamp", "Status"));
            for (QuorumReport.Row row : rows) {
                ReplicaState replica = row.replica();
                table.row(List.of(replica.replicaId(), replica.logEndOffset(), row.lag(),
                        time(replica.lastFetchTimestamp(), nowMs), time(replica.lastCaughtUpTimestamp(), nowMs),
                        row.status()));
            }
            table.print(out());
        }

        /** As Kafka: -1 when unknown; with --human-readable, how long before {@code nowMs} (never negative). */
        private String time(OptionalLong timestampMs, long nowMs) {
            if (timestampMs.isEmpty()) {
                return "-1";
            }
            return humanReadable ? Math.max(0, nowMs - timestampMs.getAsLong()) + " ms ago"
                    : Long.toString(timestampMs.getAsLong());
        }

        private static Long orNull(OptionalLong value) {
            return value.isPresent() ? value.getAsLong() : null;
        }
    }
}
