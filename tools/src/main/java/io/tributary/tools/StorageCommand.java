package io.tributary.tools;

import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.NodeStorage;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.tools.internal.CommandException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary storage}: prepares a node's directories, as Kafka's {@code kafka-storage.sh}.
 * Every node of a cluster is formatted with the same cluster id before its first start; a node
 * refuses to start on unformatted storage or on storage of another cluster or node.
 */
@Command(name = "storage", sortOptions = false, description = "Formats a node's storage for a cluster.",
        subcommands = {StorageCommand.Format.class, StorageCommand.RandomUuid.class})
final class StorageCommand {

    @Command(name = "format", sortOptions = false,
            description = {"Writes meta.properties (cluster id, node id) into every directory the node's roles use "
                + "(log.dirs for a broker, metadata.log.dir). Formatting again with the same id changes nothing; "
                + "a directory of another cluster or node is refused."})
    static final class Format implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "The node's properties file (TRIBUTARY_<KEY> environment variables apply).")
        Path config;

        @Option(names = {"-t", "--cluster-id"}, required = true, paramLabel = "ID",
                description = "The cluster id, the same on every node (see storage random-uuid).")
        String clusterId;

        @Option(names = "--rejoin", description = {"For a controller whose metadata was lost (a new disk): it "
            + "rejoins the quorum without voting until it has caught up, so it cannot help elect a leader that "
            + "lacks committed metadata. Without it, a reformatted controller votes at once."})
        boolean rejoin;

        @Override
        public Integer call() {
            BrokerConfig node;
            try {
                node = new BrokerConfig(BrokerConfig.withEnvironmentOverrides(BrokerConfig.readProperties(config),
                        System.getenv()));
                NodeStorage.format(node, clusterId, rejoin);
            } catch (IllegalArgumentException | InvalidConfigurationException e) {
                throw new CommandException(e.getMessage());
            }
            spec.commandLine().getOut().println("Formatted " + NodeStorage.directories(node) + " for cluster "
                    + clusterId + ", node " + node.nodeId() + ".");
            return 0;
        }
    }

    @Command(name = "random-uuid", description = "Prints a new random cluster id.")
    static final class RandomUuid implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println(NodeStorage.newClusterId());
        }
    }
}
