package io.tributary.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BrokerConfigTest {

    @Test
    void theEmbeddedDefaultIsOneCombinedNodeOnLocalhostWithDataInDotData() {
        BrokerConfig config = new BrokerConfig(Map.of());
        assertEquals(1, config.nodeId());
        assertEquals(List.of(new Listener("PLAINTEXT", "localhost", 9092)), config.listeners());
        assertEquals(List.of(Path.of("./data")), config.logDirs());
        assertTrue(config.flushOnCommit());
        assertEquals("1073741824", config.topicConfigDefaults().get("segment.bytes"));
    }

    @Test
    void environmentVariablesOverrideFileKeysAndUnknownOnesFail() {
        Map<String, String> merged = BrokerConfig.withEnvironmentOverrides(Map.of("log.dirs", "/a"),
                Map.of("TRIBUTARY_LOG_DIRS", "/b", "TRIBUTARY_JAVA_OPTS", "-Xmx1g", "PATH", "/bin"));
        assertEquals(Map.of("log.dirs", "/b"), merged);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.withEnvironmentOverrides(Map.of(), Map.of("TRIBUTARY_LOG_DIR", "/x")));
        assertTrue(e.getMessage().contains("TRIBUTARY_LOG_DIR") && e.getMessage().contains("'log.dir'"), e.getMessage());
    }

    @Test
    void badValuesFailStartUpNamingTheKey() {
        assertNames("listeners", Map.of("listeners", "localhost:9092"));
        assertNames("listeners", Map.of("listeners", "PLAINTEXT://localhost:70000"));
        assertNames("node.id", Map.of("node.id", "-1"));
        assertNames("process.roles", Map.of("process.roles", "brokr"));
        assertNames("process.roles", Map.of("process.roles", ""));
        assertNames("controller.quorum.voters", Map.of("process.roles", "broker"));
        assertNames("controller.quorum.voters", Map.of("controller.quorum.voters", "1@localhost"));
        assertNames("controller.quorum.voters", Map.of("controller.quorum.voters", "1@a:9093,1@b:9093",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"));
        assertNames("controller.quorum.voters", Map.of("node.id", "4", "controller.quorum.voters", "1@a:9093",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"));
        assertNames("controller.quorum.voters", Map.of("node.id", "1", "process.roles", "broker",
                "controller.quorum.voters", "1@a:9093"));
        assertNames("listeners", Map.of("node.id", "1", "controller.quorum.voters", "1@a:9093"));
        assertNames("broker.session.timeout.ms", Map.of("broker.session.timeout.ms", "2000"));
        assertNames("listeners", Map.of("node.id", "1", "controller.quorum.voters", "1@a:9093",
                "listeners", "CONTROLLER://:9093"));
        assertNames("log.flush.on.commit", Map.of("log.flush.on.commit", "maybe"));
        assertNames("no.such.key", Map.of("no.such.key", "1"));
        assertNames("metrics.group.lag.refresh.ms", Map.of("metrics.group.lag.refresh.ms", "10"));
    }

    @Test
    void brokerKeysBecomeTopicDefaults() {
        BrokerConfig config = new BrokerConfig(Map.of("log.retention.ms", "1234", "message.max.bytes", "100",
                "log.message.timestamp.type", "LogAppendTime"));
        Map<String, String> defaults = config.topicConfigDefaults();
        assertEquals("1234", defaults.get("retention.ms"));
        assertEquals("100", defaults.get("max.message.bytes"));
        assertEquals("LogAppendTime", defaults.get("message.timestamp.type"));
        assertFalse(defaults.containsKey("log.retention.ms"));
    }

    @Test
    void leaderElectionKeysDefaultAsKafkasAndUncleanElectionIsATopicDefault() {
        BrokerConfig defaults = new BrokerConfig(Map.of());
        assertTrue(defaults.autoLeaderRebalanceEnable());
        assertEquals(10, defaults.leaderImbalancePerBrokerPercentage());
        assertEquals(300_000, defaults.leaderImbalanceCheckIntervalMs());
        assertEquals("false", defaults.topicConfigDefaults().get("unclean.leader.election.enable"));
        BrokerConfig set = new BrokerConfig(Map.of("unclean.leader.election.enable", "true",
                "auto.leader.rebalance.enable", "false", "leader.imbalance.per.broker.percentage", "25",
                "leader.imbalance.check.interval.seconds", "2"));
        assertEquals("true", set.topicConfigDefaults().get("unclean.leader.election.enable"));
        assertFalse(set.autoLeaderRebalanceEnable());
        assertEquals(25, set.leaderImbalancePerBrokerPercentage());
        assertEquals(2_000, set.leaderImbalanceCheckIntervalMs());
        assertNames("leader.imbalance.per.broker.percentage", Map.of("leader.imbalance.per.broker.percentage", "101"));
        assertNames("leader.imbalance.check.interval.seconds", Map.of("leader.imbalance.check.interval.seconds", "0"));
        assertNames("unclean.leader.election.enable", Map.of("unclean.leader.election.enable", "yes"));
    }

    @Test
    void anEmptyListenerHostBindsEverythingButIsAdvertisedAsLocalhost() {
        BrokerConfig config = new BrokerConfig(Map.of("listeners", "PLAINTEXT://:0"));
        assertEquals("", config.listeners().get(0).host());
        assertEquals("localhost", config.advertisedListeners().get(0).advertisedHost());
    }

    private static void assertNames(String key, Map<String, String> raw) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> new BrokerConfig(raw));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void votersAcceptHostNamesAndBracketedIpv6Literals() {
        BrokerConfig config = new BrokerConfig(Map.of("node.id", "1", "listeners",
                "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.quorum.voters",
                "1@ctl-0.ctl.svc:9093,2@[::1]:9094,3@10.0.0.3:9095"));
        var voters = config.quorumVoters();
        assertEquals("ctl-0.ctl.svc", voters.get(1).getHostString());
        assertEquals("::1", voters.get(2).getHostString());
        assertEquals(9094, voters.get(2).getPort());
        assertEquals(9095, voters.get(3).getPort());
    }
}
