package io.tributary.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidTopicException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TopicNamesTest {

    @Test
    void acceptsKafkaLegalNames() {
        assertDoesNotThrow(() -> TopicNames.validate("orders.eu_west-1"));
        assertDoesNotThrow(() -> TopicNames.validate("a".repeat(249)));
    }

    @Test
    void rejectsEachIllegalShapeWithAMessageSayingWhy() {
        assertMessage("", "empty");
        assertMessage(null, "empty");
        assertMessage(".", "not allowed");
        assertMessage("..", "not allowed");
        assertMessage("a".repeat(250), "250 characters");
        assertMessage("bad name", "characters other than");
        assertMessage("bad/name", "characters other than");
        assertMessage("naïve", "characters other than");
    }

    @Test
    void dotsAndUnderscoresCollide() {
        assertEquals(TopicNames.collisionKey("a.b"), TopicNames.collisionKey("a_b"));
    }

    private static void assertMessage(String name, String fragment) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> TopicNames.validate(name));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
