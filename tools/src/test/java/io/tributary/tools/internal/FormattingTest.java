package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tables, JSON and --topic arguments of consumer-groups. */
@Tag("unit")
class FormattingTest {

    @Test
    void tablesPadEachColumnToItsWidestCellAndMarkNoneWithADash() {
        StringWriter text = new StringWriter();
        new Table(List.of("GROUP", "TOPIC", "LAG")).row(List.of("payments-service", "t", 5))
                .row(Arrays.asList("g", null, null)).print(new PrintWriter(text, true));

        assertEquals("""
                GROUP            TOPIC LAG
                payments-service t     5
                g                -     -
                """, text.toString());
    }

    @Test
    void aRowOfTheWrongWidthIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new Table(List.of("A", "B")).row(List.of("x")));
    }

    @Test
    void jsonKeepsFieldOrderAndEscapesStrings() {
        Map<String, Object> group = Json.object("group", "g \"1\"\n", "lag", 5L, "consumerId", null,
                "ok", true, "partitions", List.of(Json.object("topic", "t\\u", "partition", 0)));

        assertEquals("{\"group\":\"g \\\"1\\\"\\n\",\"lag\":5,\"consumerId\":null,\"ok\":true,"
                + "\"partitions\":[{\"topic\":\"t\\\\u\",\"partition\":0}]}", Json.write(group));
        assertEquals("[]", Json.write(List.of()));
        assertEquals("\"\\u0001\\t\"", Json.write("\u0001\t"));
    }

    @Test
    void jsonRejectsWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Json.object("odd"));
        assertThrows(IllegalArgumentException.class, () -> Json.object(1, "x"));
    }

    @Test
    void topicScopesNameATopicOrSomeOfItsPartitions() {
        assertEquals(new TopicScope("orders", List.of()), TopicScope.parse("orders"));
        assertEquals(new TopicScope("orders", List.of(0, 2)), TopicScope.parse("orders:2, 0,2"));
    }

    @Test
    void malformedTopicScopesAreRejectedWithTheExpectedForm() {
        assertEquals("--topic needs a topic name, as TOPIC or TOPIC:PARTITION[,PARTITION...]; got ':1'",
                assertThrows(IllegalArgumentException.class, () -> TopicScope.parse(":1")).getMessage());
        for (String bad : List.of("orders:", "orders:x", "orders:-1", "orders:1,,2")) {
            assertEquals("--topic partitions must be numbers >= 0, as in orders:0,2; got '" + bad + "'",
                    assertThrows(IllegalArgumentException.class, () -> TopicScope.parse(bad)).getMessage());
        }
    }
}
