package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing asks every broker: groups coordinated by different brokers all show up. */
@Tag("integration")
class GroupListingClusterIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void listsTheGroupsOfEveryCoordinator() throws Exception {
        Map<String, String> overrides = new HashMap<>(GroupAdminIntegrationTest.GROUP_CONFIG);
        overrides.put("offsets.topic.num.partitions", "4");
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 2, overrides).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)))) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            cluster.awaitTopic("t");
            Map<String, Integer> coordinators = new HashMap<>();
            // Groups land on __consumer_offsets partitions by the hash of their id: add groups until
            // both brokers coordinate some.
            for (int i = 0; i < 40 && Set.copyOf(coordinators.values()).size() < 2; i++) {
                String group = "group-" + i;
                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(i)))
                        .all().get();
                coordinators.put(group, admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                        .coordinator().id());
            }
            assertEquals(Set.of(1, 2), Set.copyOf(coordinators.values()), coordinators.toString());

            ListConsumerGroupsResult listed = admin.listConsumerGroups();

            assertEquals(new TreeSet<>(coordinators.keySet()), listed.all().get().stream()
                    .map(ConsumerGroupListing::groupId).collect(Collectors.toCollection(TreeSet::new)));
            assertTrue(listed.errors().get().isEmpty());
        }
    }
}
