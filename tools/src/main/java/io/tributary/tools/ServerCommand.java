package io.tributary.tools;

import io.tributary.broker.ServerMain;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary server}: runs a node in this process until SIGTERM or Ctrl-C. The node's own
 * start-up code ({@link ServerMain}) reads the configuration, so this command behaves exactly as the
 * node always has, including its exit codes (2 for a bad configuration, 1 when start-up fails).
 */
@Command(name = "server", sortOptions = false,
        description = {"Runs a node until SIGTERM or Ctrl-C, then shuts it down cleanly.",
            "Without --config it runs the embedded default: one combined node, data in ./data, listening on "
                + "localhost:9092. TRIBUTARY_<KEY> environment variables override keys of the file "
                + "(TRIBUTARY_LOG_DIRS sets log.dirs)."})
final class ServerCommand implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", description = "A Java properties file with the node's configuration.")
    Path config;

    @Override
    public void run() {
        ServerMain.main(config == null ? new String[] {"server"} : new String[] {"server", "--config", config.toString()});
    }
}
