package io.tributary.client.consumer.internal;

import java.util.regex.Pattern;

/**
 * A {@link Pattern} as the regular expression text the coordinator compiles: the coordinator only
 * sees the text, so the pattern's flags are written into it as inline flags ({@code (?i)} ...).
 */
final class RegexFlags {

    private static final int[] FLAGS = {Pattern.UNIX_LINES, Pattern.CASE_INSENSITIVE, Pattern.COMMENTS,
        Pattern.MULTILINE, Pattern.DOTALL, Pattern.UNICODE_CASE, Pattern.UNICODE_CHARACTER_CLASS};
    private static final char[] INLINE = {'d', 'i', 'x', 'm', 's', 'u', 'U'};

    private RegexFlags() {
    }

    /**
     * The pattern's text with its flags inline.
     *
     * @throws IllegalArgumentException for LITERAL or CANON_EQ, which have no inline form
     */
    static String inline(Pattern pattern) {
        int flags = pattern.flags();
        if ((flags & (Pattern.LITERAL | Pattern.CANON_EQ)) != 0) {
            throw new IllegalArgumentException("subscribe(Pattern) cannot send Pattern.LITERAL or Pattern.CANON_EQ to "
                    + "the coordinator (they have no inline form); quote the text with Pattern.quote instead");
        }
        StringBuilder inline = new StringBuilder();
        for (int i = 0; i < FLAGS.length; i++) {
            if ((flags & FLAGS[i]) != 0) {
                inline.append(INLINE[i]);
            }
        }
        return inline.length() == 0 ? pattern.pattern() : "(?" + inline + ")" + pattern.pattern();
    }
}
