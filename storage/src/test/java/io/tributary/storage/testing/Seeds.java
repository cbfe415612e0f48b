package io.tributary.storage.testing;

import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds for randomised tests: {@code -Dtributary.seed=N} replays a run, otherwise a fresh seed is drawn.
 * The seed is logged so any failure can be replayed.
 */
public final class Seeds {

    private static final Logger LOG = LoggerFactory.getLogger(Seeds.class);

    private Seeds() {
    }

    /** The seed for {@code testName}, logged. */
    public static long seed(String testName) {
        String fixed = System.getProperty("tributary.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        LOG.info("{} uses seed {} (replay with -Dtributary.seed={})", testName, seed, seed);
        return seed;
    }
}
