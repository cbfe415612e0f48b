package io.tributary.tools.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table as Kafka's command-line tools print them: a header line, then one line per row,
 * each column left-aligned and padded to its widest cell, columns separated by one space, no
 * trailing spaces. Not thread-safe.
 */
public final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    /**
     * Adds a row; a null cell prints as "-" (Kafka's mark for "none").
     *
     * @throws IllegalArgumentException when the row does not have one cell per column
     */
    public Table row(List<?> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size()
                    + " columns");
        }
        rows.add(cells.stream().map(cell -> cell == null ? "-" : cell.toString()).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the header and the rows. */
    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printLine(out, headers, widths);
        rows.forEach(row -> printLine(out, row, widths));
    }

    private static void printLine(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 1));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
