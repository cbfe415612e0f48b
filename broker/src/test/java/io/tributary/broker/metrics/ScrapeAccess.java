package io.tributary.broker.metrics;

/** Scrapes for tests outside this package. */
public final class ScrapeAccess {

    private ScrapeAccess() {
    }

    /** The value of the unlabelled metric {@code name} at {@code http://127.0.0.1:<port>/metrics}. */
    public static double get(int port, String name) {
        return Scrape.of(port).get(name);
    }
}
