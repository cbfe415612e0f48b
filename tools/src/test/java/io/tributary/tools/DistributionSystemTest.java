package io.tributary.tools;

import static io.tributary.tools.NodeProcess.awaitServing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.server.BrokerConfig;
import io.tributary.common.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the tarball that {@code mvn package} built ({@code tools/target/tributary-<version>.tar.gz})
 * and runs its {@code bin/tributary} the way a user would: from the unpacked tree, with nothing but a
 * JDK, in an environment holding only {@code PATH} (and {@code JAVA_HOME} for the server). Tagged
 * {@code distribution} as well as {@code system}: the tarball exists only after package, so the
 * tools pom runs this test in the integration-test phase and keeps it out of the test phase.
 */
@Tag("system")
@Tag("distribution")
class DistributionSystemTest {

    private static final long PROCESS_TIMEOUT_S = 120;

    @TempDir
    Path dir;

    private Path home;

    /** What a command printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void unpack() throws Exception {
        String tarball = System.getProperty("tributary.distribution");
        String version = System.getProperty("tributary.version");
        assertTrue(tarball != null && version != null, "tributary.distribution and tributary.version are set by the "
                + "tools pom's distribution-test execution (mvn verify), which runs after package");
        assertTrue(Files.isRegularFile(Path.of(tarball)), tarball + " does not exist; mvn package builds it");
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball, "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS), "tar still running");
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes()));
        home = unpacked.resolve("tributary-" + version);
        assertEquals(List.of("tributary-" + version), list(unpacked), "the tarball has one top directory");
    }

    @Test
    void theTarballHoldsTheLauncherTheJarsAndValidExampleConfigs() throws Exception {
        assertEquals(List.of("README", "bin", "config", "lib"), list(home));
        assertTrue(Files.isExecutable(home.resolve("bin/tributary")));
        List<String> jars = list(home.resolve("lib"));
        String version = System.getProperty("tributary.version");
        for (String module : List.of("tools", "client", "broker", "metadata-quorum", "storage", "common", "proto")) {
            assertTrue(jars.contains("tributary-" + module + "-" + version + ".jar"), module + " missing in " + jars);
        }
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("picocli-")), jars.toString());
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("logback-classic-")), jars.toString());
        assertTrue(jars.stream().allMatch(jar -> jar.endsWith(".jar")), jars.toString());

        assertEquals(List.of("broker.properties", "controller.properties", "server.properties"),
                list(home.resolve("config")));
        BrokerConfig server = config("server.properties");
        BrokerConfig controller = config("controller.properties");
        BrokerConfig broker = config("broker.properties");
        assertTrue(server.isBroker() && server.isController() && server.quorumVoters().isEmpty());
        assertTrue(controller.isController() && !controller.isBroker());
        assertTrue(broker.isBroker() && !broker.isController());
        assertEquals(3, controller.quorumVoters().size());
        assertEquals(controller.quorumVoters(), broker.quorumVoters(), "broker and controllers name the same quorum");
    }

    @Test
    void theUnpackedTarballRunsANodeAndItsClients() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        int port = FreePorts.freePort();
        // The shipped combined-node config, with this test's ports and data directory.
        Map<String, String> node = Map.of("TRIBUTARY_LISTENERS", "PLAINTEXT://127.0.0.1:" + port,
                "TRIBUTARY_LOG_DIRS", work.resolve("data").toString(), "TRIBUTARY_METRICS_PORT", "0");
        String config = home.resolve("config/server.properties").toString();
        Run uuid = run(work, Map.of(), "", "storage", "random-uuid");
        assertEquals(0, uuid.exitCode(), uuid.toString());
        Run format = run(work, node, "", "storage", "format", "--config", config, "--cluster-id", uuid.out().strip());
        assertEquals(0, format.exitCode(), format.toString());

        Map<String, String> serverEnv = new HashMap<>(node);
        serverEnv.put("JAVA_HOME", System.getProperty("java.home"));
        Path serverLog = work.resolve("server.log");
        Process server = builder(work, serverEnv, List.of("server", "--config", config))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        try {
            awaitServing(server, port, serverLog);
            String bootstrap = "127.0.0.1:" + port;

            Run created = run(work, Map.of(), "", "topics", "--create", "--topic", "unpacked", "--partitions", "2",
                    "--bootstrap-server", bootstrap);
            Run produced = run(work, Map.of(), "k1:hello\nk2:from the tarball\n", "console-producer", "--topic",
                    "unpacked", "--bootstrap-server", bootstrap, "--property", "parse.key=true",
                    "--property", "key.separator=:");
            Run consumed = run(work, Map.of(), "", "console-consumer", "--topic", "unpacked", "--from-beginning",
                    "--max-messages", "2", "--property", "print.key=true", "--bootstrap-server", bootstrap);

            assertEquals("Created topic unpacked.\n", created.out(), created.toString());
            assertEquals(0, produced.exitCode(), produced.toString());
            assertEquals(0, consumed.exitCode(), consumed.toString());
            assertEquals(List.of("k1\thello", "k2\tfrom the tarball"), consumed.out().lines().sorted().toList());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the node did not stop within 60 s of SIGTERM");
        }
        assertTrue(Files.readString(serverLog).contains("Tributary node 1 stopped"), Files.readString(serverLog));
    }

    @Test
    void anOldJavaIsRefusedWithAClearMessage() throws Exception {
        Path fakeJdk = Files.createDirectories(dir.resolve("old-jdk/bin"));
        Path java = Files.writeString(fakeJdk.resolve("java"),
                "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
        assertTrue(java.toFile().setExecutable(true));

        Run run = run(dir, Map.of("JAVA_HOME", fakeJdk.getParent().toString()), "", "--help");

        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("tributary: Java 25 or newer is needed; " + java + " is Java 17\n", run.err());
    }

    private BrokerConfig config(String name) {
        return new BrokerConfig(BrokerConfig.readProperties(home.resolve("config").resolve(name)));
    }

    /**
     * {@code bin/tributary} of the unpacked tree, run in {@code workDir} with an environment holding
     * only {@code PATH} (this JVM's {@code bin} first, then the system's for bash and sed) and
     * {@code extraEnv}.
     */
    private ProcessBuilder builder(Path workDir, Map<String, String> extraEnv, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/tributary").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + "/usr/bin:/bin");
        env.put("TRIBUTARY_JAVA_OPTS", "-Xmx256m");
        env.putAll(extraEnv);
        return builder;
    }

    private Run run(Path workDir, Map<String, String> extraEnv, String stdin, String... args)
            throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder(workDir, extraEnv, List.of(args)).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/tributary " + String.join(" ", args) + " still running after "
                    + PROCESS_TIMEOUT_S + " s; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> list(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
