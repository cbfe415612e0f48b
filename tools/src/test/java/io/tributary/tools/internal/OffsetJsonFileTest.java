package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The offset JSON of delete-records, and the JSON reader under it. */
@Tag("unit")
class OffsetJsonFileTest {

    @Test
    void readsKafkasFormatInFileOrder() {
        List<OffsetJsonFile.Entry> entries = OffsetJsonFile.parse("""
                {"partitions": [{"topic": "b", "partition": 1, "offset": 3},
                                {"topic": "a", "partition": 0, "offset": -1}],
                 "version": 1}
                """);
        assertEquals(List.of(new OffsetJsonFile.Entry("b", 1, 3), new OffsetJsonFile.Entry("a", 0, -1)), entries);
        assertEquals(List.of(new OffsetJsonFile.Entry("t", 0, 0)),
                OffsetJsonFile.parse("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":0}]}"),
                "version may be left out");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[]| must be an object with \"version\" and \"partitions\"",
        "{}| missing the \"partitions\" field",
        "{\"partitions\":{}}| \"partitions\" must be an array",
        "{\"partitions\":[]}| \"partitions\" lists no partition",
        "{\"version\":\"1\",\"partitions\":[]}| unsupported \"version\" 1",
        "{\"partitions\":[3]}| partitions[0] must be an object",
        "{\"partitions\":[{\"partition\":0,\"offset\":1}]}| partitions[0].topic must be a non-empty string",
        "{\"partitions\":[{\"topic\":\"t\",\"offset\":1}]}| partitions[0].partition must be an integer (it is missing",
        "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1.5}]}| partitions[0].offset must be an integer (got 1.5)",
        "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":-2}]}| partitions[0].offset must be -1",
        "{\"partitions\":[{\"topic\":\"t\",\"partition\":3000000000,\"offset\":1}]}| must be 0 or more (got 3000000000)",
    })
    void namesWhatIsWrong(String json, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OffsetJsonFile.parse(json));
        assertTrue(e.getMessage().contains(fragment.strip()), e.getMessage());
    }

    @Test
    void parsesEveryJsonValueKind() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c/\n\u00e9");
        expected.put("n", List.of(0L, -12L, new BigDecimal("1.5e3"), new BigDecimal("99999999999999999999")));
        expected.put("b", Arrays.asList(true, false, null));
        expected.put("o", Map.of());
        assertEquals(expected, JsonParser.parse(" {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\", \"n\":[0,-12,1.5e3,"
                + "99999999999999999999],\r\n\t\"b\":[true,false,null],\"o\":{}} "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``| line 1, column 1: the text ends where a value was expected",
        "{\"a\":1,}| line 1, column 8: expected a quoted field name",
        "{\"a\":1 \"b\":2}| line 1, column 8: expected '}' but found '\"'",
        "[1,2| line 1, column 5: the text ends where ']' was expected",
        "{\"a\":1}x| line 1, column 8: unexpected 'x' after the value",
        "{\"a\":1,\"a\":2}| field \"a\" appears twice",
        "[01]| malformed number '01'",
        "[tru]| unexpected 't' where a value was expected",
        "\"abc| the text ends inside a string",
        "\"\\x\"| unknown escape",
        "\"\\u12\"| \\u needs four hex digits",
        "\"\\| line 1, column 3: the text ends inside an escape sequence",
        "[1e99999999999]| line 1, column 2: number '1e99999999999' is out of range",
    })
    void rejectsInvalidJsonNamingTheLineAndColumn(String json, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(json));
        assertTrue(e.getMessage().contains(fragment.strip()), e.getMessage());
    }

    @Test
    void countsLinesAndColumnsAcrossNewlines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("[\n  @]"));
        assertEquals("invalid JSON at line 2, column 3: unexpected '@' where a value was expected", e.getMessage());
    }

    @Test
    void nestingIsLimitedWithAClearErrorRatherThanAStackOverflow() {
        String deepest = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertTrue(JsonParser.parse(deepest) instanceof List<?>, "512 levels are fine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonParser.parse("[".repeat(100_000)));
        assertEquals("invalid JSON at line 1, column 513: arrays and objects nest deeper than 512 levels",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("{\"a\":".repeat(600)));
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() {
        assertEquals(List.of(1L), JsonParser.parse("\uFEFF[1]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("\uFEFF[@]"));
        assertEquals("invalid JSON at line 1, column 2: unexpected '@' where a value was expected", e.getMessage());
    }
}
