package io.tributary.tools;

import io.tributary.client.Node;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.BrokerRegistration;
import io.tributary.client.admin.DescribeClusterOptions;
import io.tributary.client.admin.DescribeClusterResult;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.OutputFormat;
import io.tributary.tools.internal.Table;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary cluster}: Kafka's {@code kafka-cluster.sh} ({@code cluster-id}), plus {@code describe}. */
@Command(name = "cluster", sortOptions = false, description = "Shows the cluster's id, controllers and brokers.",
        subcommands = {ClusterCommand.Describe.class, ClusterCommand.ClusterId.class})
final class ClusterCommand {

    /** What both subcommands share: the admin client's properties file. */
    abstract static class AdminCommand extends ClientCommand {

        @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client "
                + "configuration.")
        Path configFile;

        Admin admin() {
            return Admin.create(connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of()));
        }
    }

    @Command(name = "cluster-id", sortOptions = false, description = "Prints the cluster id: Cluster ID: <id>.")
    static final class ClusterId extends AdminCommand {

        @Override
        int execute() throws Exception {
            try (Admin admin = admin()) {
                out().println("Cluster ID: " + await(admin.describeCluster().clusterId()));
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "describe", sortOptions = false,
            description = {"Prints the cluster id, the active controller, the controllers (metadata quorum voters) and "
                + "a table of the brokers: ID HOST PORT RACK STATE, where STATE is active, fenced (no live session: "
                + "stopped or unreachable) or controlled-shutdown."})
    static final class Describe extends AdminCommand {

        @Option(names = "--include-fenced-brokers", description = "Also list fenced brokers (by default only "
                + "unfenced ones, as Kafka).")
        boolean includeFenced;

        @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
                description = "Text (the default) or one line of JSON.")
        String output;

        @Override
        int execute() throws Exception {
            OutputFormat.isJson(output, spec.commandLine());
            DescribeClusterResult described;
            try (Admin admin = admin()) {
                described = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(includeFenced));
                await(described.clusterId());
            }
            String clusterId = described.clusterId().join();
            Node controller = described.controller().join();
            Collection<Node> controllers = described.controllers().join();
            Collection<BrokerRegistration> brokers = described.brokerRegistrations().join();
            if (output.equals("json")) {
                out().println(Json.write(Json.object("clusterId", clusterId,
                        "controllerId", controller == null ? null : controller.id(),
                        "controllers", controllers.stream().<Object>map(c -> Json.object("id", c.id(),
                                "host", c.host().isEmpty() ? null : c.host(), "port", c.port() < 0 ? null : c.port()))
                                .toList(),
                        "brokers", brokers.stream().<Object>map(Describe::json).toList())));
            } else {
                out().println("Cluster ID: " + clusterId);
                out().println("Controller: " + (controller == null ? "none" : Integer.toString(controller.id())));
                out().println("Controllers: " + controllers.stream().map(Describe::controllerText)
                        .collect(Collectors.joining(",")));
                Table table = new Table(List.of("ID", "HOST", "PORT", "RACK", "STATE"));
                brokers.forEach(b -> table.row(Arrays.asList(b.node().id(), b.node().host(), b.node().port(),
                        b.node().rack(), b.state())));
                table.print(out());
            }
            out().flush();
            return 0;
        }

        private static String controllerText(Node controller) {
            return controller.port() < 0 ? Integer.toString(controller.id())
                    : controller.id() + "@" + controller.address();
        }

        private static Object json(BrokerRegistration broker) {
            Node node = broker.node();
            return Json.object("id", node.id(), "host", node.host(), "port", node.port(), "rack", node.rack(),
                    "state", broker.state(), "fenced", node.isFenced(),
                    "inControlledShutdown", broker.inControlledShutdown(), "brokerEpoch", broker.brokerEpoch());
        }
    }
}
