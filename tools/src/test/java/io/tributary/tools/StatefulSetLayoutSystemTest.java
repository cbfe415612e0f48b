package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.server.NodeStorage;
import io.tributary.common.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a cluster the way the Kubernetes base does ({@code k8s/base}): three controller and three
 * broker "pods", each through {@code k8s/docker-entrypoint.sh} with the environment variables the
 * StatefulSets give it (pod name, namespace, headless Services, controller count and id offset,
 * cluster id) and the shared {@code k8s/base/node.properties}. The entrypoint derives node ids from
 * the ordinals, the voters from the stable DNS names and the advertised listeners, formats the
 * storage and execs {@code bin/tributary server}. ({@code k8s/validate.sh} checks that the manifests
 * really give the pods these variables.)
 *
 * <p>Differences from a pod, all of them test plumbing: every "pod" gets its own loopback address
 * (127.0.1.N controllers, 127.0.2.N brokers; {@code LISTEN_HOST}) because they share one machine,
 * the ports are free ones instead of 9092/9093, the data is in a temporary directory, and the
 * {@code <pod>.<service>.<namespace>.svc} names resolve through a hosts file given to the JVMs with
 * {@code -Djdk.net.hosts.file} instead of cluster DNS.
 */
@Tag("system")
class StatefulSetLayoutSystemTest {

    private static final String NAMESPACE = "test";
    private static final int REPLICAS = 3;
    private static final long START_TIMEOUT_S = 240;

    @TempDir
    Path dir;

    private final Map<String, Process> pods = new LinkedHashMap<>();
    private int clientPort;
    private int controllerPort;
    private Path hosts;
    private String clusterId;

    private record Run(int exitCode, String out, String err) {
    }

    private static Path repo() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isExecutable(at.resolve("k8s/docker-entrypoint.sh")) && Files.isExecutable(at.resolve("bin/tributary"))) {
                return at;
            }
        }
        throw new AssertionError("k8s/docker-entrypoint.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String address(String pod) {
        int ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        return (pod.startsWith("tributary-controller-") ? "127.0.1." : "127.0.2.") + (ordinal + 1);
    }

    private static String dnsName(String pod, String service) {
        return pod + "." + service + "." + NAMESPACE + ".svc";
    }

    /** What every JVM started here needs: this build's classpath, and the hosts file for the pod names. */
    private void launcherEnvironment(Map<String, String> env) {
        env.put("TRIBUTARY_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TRIBUTARY_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Djdk.net.hosts.file=" + hosts);
    }

    /** Starts one pod as its StatefulSet would (the env of k8s/base/controller.yaml or broker.yaml). */
    private Process startPod(String pod, int attempt) throws IOException {
        boolean controller = pod.startsWith("tributary-controller-");
        ProcessBuilder builder = new ProcessBuilder("sh", repo().resolve("k8s/docker-entrypoint.sh").toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("TRIBUTARY_"));
        launcherEnvironment(env);
        // From the StatefulSet.
        env.put("TRIBUTARY_PROCESS_ROLES", controller ? "controller" : "broker");
        env.put("POD_NAME", pod);
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("SERVICE_NAME", controller ? "tributary-controller" : "tributary-broker");
        if (!controller) {
            env.put("NODE_ID_OFFSET", "0");
        }
        env.put("CONTROLLER_STS", "tributary-controller");
        env.put("CONTROLLER_SERVICE", "tributary-controller");
        env.put("CONTROLLER_REPLICAS", Integer.toString(REPLICAS));
        env.put("CONTROLLER_ID_OFFSET", "100");
        env.put("CLUSTER_ID", clusterId);
        env.put("NODE_CONFIG", repo().resolve("k8s/base/node.properties").toString());
        // Test plumbing: one machine for all pods.
        env.put("TRIBUTARY_HOME", repo().toString());
        env.put("LISTEN_HOST", address(pod));
        env.put("CLIENT_PORT", Integer.toString(clientPort));
        env.put("CONTROLLER_PORT", Integer.toString(controllerPort));
        env.put("TRIBUTARY_LOG_DIRS", dir.resolve(pod).resolve("data").toString());
        Path log = dir.resolve(pod + "-" + attempt + ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        pods.put(pod, process);
        return process;
    }

    private Path log(String pod, int attempt) {
        return dir.resolve(pod + "-" + attempt + ".log");
    }

    private Run tool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repo().resolve("bin/tributary").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        launcherEnvironment(builder.environment());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/tributary " + String.join(" ", args) + " still running after 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void awaitServing(String pod, int port, int attempt) {
        NodeProcess.awaitServing(pods.get(pod), address(pod), port, log(pod, attempt), START_TIMEOUT_S);
    }

    /** What k8s/rolling-restart.sh waits for between pods: the describe command prints nothing. */
    private void awaitNoUnderReplicatedPartitions(String bootstrap) {
        await().atMost(120, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).until(() -> {
            Run describe = tool("topics", "--describe", "--under-replicated-partitions", "--unavailable-partitions",
                    "--bootstrap-server", bootstrap);
            return describe.exitCode() == 0 && describe.out().isEmpty();
        });
    }

    @Test
    void podsStartedByTheEntrypointFormAClusterAndSurviveARestart() throws Exception {
        clientPort = FreePorts.freePort();
        controllerPort = FreePorts.freePort();
        clusterId = NodeStorage.newClusterId();
        List<String> controllers = new ArrayList<>();
        List<String> brokers = new ArrayList<>();
        StringBuilder hostsText = new StringBuilder("127.0.0.1 localhost\n");
        for (int i = 0; i < REPLICAS; i++) {
            controllers.add("tributary-controller-" + i);
            brokers.add("tributary-broker-" + i);
            hostsText.append(address(controllers.get(i))).append(' ')
                    .append(dnsName(controllers.get(i), "tributary-controller")).append('\n');
            hostsText.append(address(brokers.get(i))).append(' ')
                    .append(dnsName(brokers.get(i), "tributary-broker")).append('\n');
        }
        // The client Service, here simply broker 0.
        hostsText.append(address(brokers.get(0))).append(" tributary.").append(NAMESPACE).append(".svc\n");
        hosts = Files.writeString(dir.resolve("hosts"), hostsText);
        String bootstrap = "tributary." + NAMESPACE + ".svc:" + clientPort;
        try {
            for (String pod : controllers) {
                startPod(pod, 0);
            }
            for (String pod : brokers) {
                startPod(pod, 0);
            }
            for (String pod : controllers) {
                awaitServing(pod, controllerPort, 0);
            }
            for (String pod : brokers) {
                awaitServing(pod, clientPort, 0);
            }
            String controllerLog = Files.readString(log("tributary-controller-1", 0));
            assertTrue(controllerLog.contains("docker-entrypoint: node 101 (controller), voters 100@tributary-controller-0"
                    + ".tributary-controller.test.svc:" + controllerPort), controllerLog);

            Run created = tool("topics", "--create", "--topic", "k8s", "--partitions", "3", "--replication-factor", "3",
                    "--bootstrap-server", bootstrap);
            assertEquals(0, created.exitCode(), created.toString());
            Run described = tool("topics", "--describe", "--topic", "k8s", "--bootstrap-server", bootstrap);
            assertEquals(0, described.exitCode(), described.toString());
            List<String> partitions = described.out().lines().filter(l -> l.contains("Partition:")).toList();
            assertEquals(3, partitions.size(), described.out());
            for (String line : partitions) {
                String replicas = line.replaceAll(".*Replicas: ([0-9,]+).*", "$1");
                assertEquals(List.of("0", "1", "2"), List.of(replicas.split(",")).stream().sorted().toList(),
                        "brokers are nodes 0, 1, 2 (the ordinals): " + line);
            }
            awaitNoUnderReplicatedPartitions(bootstrap);

            // One step of k8s/rolling-restart.sh: SIGTERM (controlled shutdown) within the grace
            // period, the pod comes back on its formatted storage, and the partitions get back in sync.
            Process broker2 = pods.get("tributary-broker-2");
            broker2.destroy();
            assertTrue(broker2.waitFor(120, TimeUnit.SECONDS),
                    "tributary-broker-2 did not stop within terminationGracePeriodSeconds (120 s) of SIGTERM");
            startPod("tributary-broker-2", 1);
            awaitServing("tributary-broker-2", clientPort, 1);
            assertFalse(Files.readString(log("tributary-broker-2", 1)).contains("docker-entrypoint: formatting"),
                    "a restarted pod keeps its formatted storage");
            awaitNoUnderReplicatedPartitions(bootstrap);
        } finally {
            for (Process process : pods.values()) {
                process.destroy();
            }
            for (Process process : pods.values()) {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
