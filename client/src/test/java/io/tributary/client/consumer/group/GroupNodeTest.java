package io.tributary.client.consumer.group;

import io.tributary.broker.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh node per test, configured by {@link GroupTestSupport#startNode} for fast group membership. */
abstract class GroupNodeTest {

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void startNode() {
        node = GroupTestSupport.startNode(dir.resolve("node"));
    }

    @AfterEach
    void stopNode() {
        node.close();
    }
}
