package io.tributary.tools.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (RFC 8259) into the values {@link Json} writes: objects become {@link Map}s in
 * document order, arrays {@link List}s, strings {@link String}s, integers {@link Long} (or
 * {@link BigDecimal} when they do not fit), other numbers {@link BigDecimal}, true/false
 * {@link Boolean}, null null. For the small files commands read (e.g. delete-records' offset file).
 * A leading UTF-8 byte order mark is skipped; arrays and objects nest at most {@link #MAX_DEPTH}
 * deep (the parser recurses). Stateless; one instance per text.
 */
public final class JsonParser {

    /** How deep arrays and objects may nest: far beyond any real file, far below the stack's limit. */
    public static final int MAX_DEPTH = 512;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final String text;
    private int position;
    private int depth;

    private JsonParser(String text) {
        this.text = text;
    }

    /**
     * The value {@code text} holds.
     *
     * @throws IllegalArgumentException naming the line and column of the first problem (or a key
     *     repeated in an object)
     */
    public static Object parse(String text) {
        JsonParser parser = new JsonParser(!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1)
                : text);
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position < parser.text.length()) {
            throw parser.error("unexpected '" + parser.text.charAt(parser.position) + "' after the value");
        }
        return value;
    }

    private Object value() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("the text ends where a value was expected");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "' where a value was expected");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> fields = new LinkedHashMap<>();
        enter();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return fields;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a quoted field name");
            }
            int keyStart = position;
            String key = string();
            skipWhitespace();
            expect(':');
            if (fields.containsKey(key)) {
                position = keyStart;
                throw error("field \"" + key + "\" appears twice in one object");
            }
            fields.put(key, value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                depth--;
                return fields;
            }
        }
    }

    private List<Object> array() {
        List<Object> values = new ArrayList<>();
        enter();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return values;
        }
        while (true) {
            values.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                depth--;
                return values;
            }
        }
    }

    /** Steps into the array or object starting here, within {@link #MAX_DEPTH}. */
    private void enter() {
        if (depth == MAX_DEPTH) {
            throw error("arrays and objects nest deeper than " + MAX_DEPTH + " levels");
        }
        depth++;
        position++;
    }

    private String string() {
        StringBuilder value = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                position--;
                throw error("a control character inside a string must be escaped");
            }
            value.append(c == '\\' ? escaped() : c);
        }
        throw error("the text ends inside a string");
    }

    private char escaped() {
        if (position >= text.length()) {
            throw error("the text ends inside an escape sequence");
        }
        char c = text.charAt(position);
        position++;
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (position + 4 > text.length()) {
                    throw error("\\u needs four hex digits");
                }
                try {
                    char decoded = (char) Integer.parseInt(text.substring(position, position + 4), 16);
                    position += 4;
                    yield decoded;
                } catch (NumberFormatException e) {
                    throw error("\\u needs four hex digits");
                }
            }
            default -> {
                position--;
                throw error("unknown escape '\\" + c + "'");
            }
        };
    }

    private Object number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String literal = text.substring(start, position);
        if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            position = start;
            throw error("malformed number '" + literal + "'");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(literal);
        } catch (NumberFormatException e) {
            position = start;
            throw error("number '" + literal + "' is out of range");
        }
        if (literal.matches("-?[0-9]+")) {
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                return value;
            }
        }
        return value;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("unexpected '" + text.charAt(position) + "' where a value was expected");
        }
        position += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(position < text.length() ? "expected '" + c + "' but found '" + text.charAt(position) + "'"
                    : "the text ends where '" + c + "' was expected");
        }
        position++;
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private IllegalArgumentException error(String problem) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("invalid JSON at line " + line + ", column " + column + ": " + problem);
    }
}
