package io.tributary.storage.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import io.tributary.storage.LogManagerConfig;
import io.tributary.storage.internal.checkpoint.AtomicFile;
import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power-loss model of {@link PowerLossFileIo}: what survives a cut and {@code dropUnsyncedData}. */
@Tag("unit")
class PowerLossFileIoTest {

    @TempDir
    Path tmp;

    private final PowerLossFileIo io = new PowerLossFileIo();

    private static void write(FileHandle handle, String text, long position) throws IOException {
        handle.writeFully(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), position);
    }

    private FileHandle create(Path file) throws IOException {
        return io.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private PowerLossFileIo.Report powerLoss() throws IOException {
        io.power().cut();
        return io.dropUnsyncedData();
    }

    @Test
    void writesSinceTheLastFsyncAreLostAndFsyncedBytesSurvive() throws IOException {
        Path file = tmp.resolve("data");
        try (FileHandle handle = create(file)) {
            io.fsyncDirectory(tmp);
            write(handle, "durable", 0);
            handle.force();
            write(handle, "DUR", 0);
            write(handle, "+appended", 7);
            assertEquals("DURable+appended", Files.readString(file));

            PowerLossFileIo.Report report = powerLoss();

            assertEquals(new PowerLossFileIo.Report(1, 9, 0, 0), report);
        }
        assertEquals("durable", Files.readString(file));
    }

    @Test
    void anArmedCutFallsRightAfterTheWriteSoNoFsyncCoversIt() throws IOException {
        Path file = tmp.resolve("data.log");
        try (FileHandle handle = create(file)) {
            io.fsyncDirectory(tmp);
            write(handle, "synced", 0);
            handle.force();
            io.cutPowerAfterNextWrite(".log");

            write(handle, "+cut", 6);

            assertFalse(io.power().isOn());
            assertThrows(IOException.class, handle::force);
            assertEquals(new PowerLossFileIo.Report(1, 4, 0, 0), io.dropUnsyncedData());
        }
        assertEquals("synced", Files.readString(file));
    }

    @Test
    void aTruncationThatWasNotFsyncedIsUndone() throws IOException {
        Path file = tmp.resolve("data");
        try (FileHandle handle = create(file)) {
            io.fsyncDirectory(tmp);
            write(handle, "0123456789", 0);
            handle.force();
            handle.truncate(4);
            write(handle, "xy", 4);
            powerLoss();
        }
        assertEquals("0123456789", Files.readString(file));
    }

    @Test
    void everyCallFailsWithoutPowerExceptClosingAHandle() throws IOException {
        Path file = tmp.resolve("data");
        FileHandle handle = create(file);
        io.power().cut();

        assertThrows(IOException.class, () -> write(handle, "x", 0));
        assertThrows(IOException.class, handle::force);
        assertThrows(IOException.class, () -> handle.read(ByteBuffer.allocate(1), 0));
        assertThrows(IOException.class, () -> io.open(file, StandardOpenOption.READ));
        assertThrows(IOException.class, () -> io.fsyncDirectory(tmp));
        assertThrows(IOException.class, () -> io.list(tmp));
        assertThrows(UncheckedIOException.class, () -> io.exists(file));
        handle.close();

        io.power().restore();
        assertTrue(io.exists(file), "the power is back");
    }

    @Test
    void aCreatedFileNeedsAnFsyncOfItsDirectory() throws IOException {
        Path lost = tmp.resolve("lost");
        Path kept = tmp.resolve("kept");
        try (FileHandle first = create(kept)) {
            write(first, "kept", 0);
            first.force();
        }
        io.fsyncDirectory(tmp);
        try (FileHandle second = create(lost)) {
            write(second, "fsynced, but its directory entry was not", 0);
            second.force();
        }

        PowerLossFileIo.Report report = powerLoss();

        assertEquals(1, report.creationsUndone());
        assertFalse(Files.exists(lost));
        assertEquals("kept", Files.readString(kept));
    }

    @Test
    void anAtomicReplaceIsDurableOnlyWithItsDirectoryFsync() throws IOException {
        Path checkpoint = tmp.resolve("checkpoint");
        Files.writeString(checkpoint, "old");
        AtomicFile.write(io, checkpoint, "new".getBytes(StandardCharsets.US_ASCII));
        assertEquals("new", Files.readString(checkpoint));
        // The same steps as AtomicFile.write without its final directory fsync.
        Path temp = tmp.resolve("checkpoint.tmp");
        try (FileHandle handle = io.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(handle, "newer", 0);
            handle.force();
        }
        io.move(temp, checkpoint);

        PowerLossFileIo.Report report = powerLoss();

        assertEquals(1, report.movesUndone());
        assertEquals("new", Files.readString(checkpoint), "the rename was undone, the replaced file restored");
        assertFalse(Files.exists(temp), "the temp file's creation was not durable either");
    }

    @Test
    void storesThroughAWritableMappingSurviveUpToTheLastForce() throws IOException {
        Path index = tmp.resolve("index");
        try (FileHandle handle = create(index)) {
            io.fsyncDirectory(tmp);
            Arena arena = Arena.ofShared();
            MemorySegment mapped = handle.map(FileChannel.MapMode.READ_WRITE, 64, arena);
            mapped.set(ValueLayout.JAVA_LONG, 0, 42L);
            handle.force(mapped);
            handle.force();
            mapped.set(ValueLayout.JAVA_LONG, 8, 43L);
            mapped.set(ValueLayout.JAVA_LONG, 0, 44L);
            arena.close();
            powerLoss();
        }
        byte[] expected = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder()).putLong(42L).array();
        assertArrayEquals(expected, Files.readAllBytes(index), "the mapping's size and first store, nothing later");
    }

    @Test
    void aLogReopenedAfterAPowerLossEndsWhereItsLastFlushDid() throws IOException {
        TopicPartition tp = new TopicPartition("events", 0);
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "1000"));
        MockTime time = new MockTime();
        LogManager before = new LogManager(List.of(tmp), config, t -> Optional.empty(), time,
                new MockScheduler(time), io, LogManagerConfig.defaults("cluster", 1));
        before.startup();
        Log log = before.getOrCreateLog(tp, "topic-id", config);
        for (int i = 0; i < 20; i++) {
            log.append(TestBatches.batch(log.logEndOffset(), 2, 0, 0, 100));
        }
        long flushed = log.flush();
        ByteBuffer durable = log.read(0, Integer.MAX_VALUE, flushed, false).records();
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch(log.logEndOffset(), 2, 0, 0, 100));
        }
        io.power().cut();
        before.shutdown();
        PowerLossFileIo.Report report = io.dropUnsyncedData();
        assertTrue(report.bytesCut() > 0, "the unflushed appends reached the page cache: " + report);

        try (LogManager after = new LogManager(List.of(tmp), config, t -> Optional.empty(), time,
                new MockScheduler(time), FileIo.system(), LogManagerConfig.defaults("cluster", 1))) {
            after.startup();
            Log reopened = after.getLog(tp).orElseThrow();
            assertFalse(after.hadCleanShutdown());
            assertEquals(flushed, reopened.logEndOffset());
            assertEquals(durable, reopened.read(0, Integer.MAX_VALUE, flushed, false).records());
        }
    }
}
