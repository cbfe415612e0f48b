package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.TestBatches;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class LogSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void appendRollReopen() {
        LogFixture f = new LogFixture(tmp);
        LogConfig config = LogFixture.config(Map.of("segment.bytes", "1000", "index.interval.bytes", "100"));
        try (Log log = f.open(config)) {
            for (int i = 0; i < 50; i++) {
                f.append(log, 3, 80);
            }
            assertEquals(150, log.logEndOffset());
            FetchDataInfo info = log.read(10, 10_000, Long.MAX_VALUE, false);
            assertEquals(9L, TestBatches.baseOffsets(info.records()).getFirst());
            log.flush();
        }
        try (Log log = f.builder(config, io.tributary.storage.io.FileIo.system()).hadCleanShutdown(true).build()) {
            assertEquals(150, log.logEndOffset());
            assertEquals(List.of(147L), TestBatches.baseOffsets(log.read(147, 10_000, Long.MAX_VALUE, false).records()));
        }
        try (Log log = f.open(config)) {
            assertEquals(150, log.logEndOffset());
        }
    }
}
