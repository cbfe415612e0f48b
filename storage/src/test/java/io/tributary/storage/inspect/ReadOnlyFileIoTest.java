package io.tributary.storage.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.io.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What inspection may do to a node's files: read them, and nothing else. */
@Tag("unit")
class ReadOnlyFileIoTest {

    private static final byte[] CONTENT = "segment bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void everyMutationIsRefusedNamingThePathAndChangesNothing() throws IOException {
        Path file = Files.write(dir.resolve("00000000000000000000.log"), CONTENT);
        ReadOnlyFileIo io = ReadOnlyFileIo.INSTANCE;

        List<AccessDeniedException> refusals = List.of(
                assertThrows(AccessDeniedException.class, () -> io.move(file, dir.resolve("moved.log"))),
                assertThrows(AccessDeniedException.class, () -> io.deleteIfExists(file)),
                assertThrows(AccessDeniedException.class, () -> io.fsyncDirectory(dir)),
                assertThrows(AccessDeniedException.class, () -> io.createDirectories(dir.resolve("new"))));

        assertEquals(List.of(file.toString(), file.toString(), dir.toString(), dir.resolve("new").toString()),
                refusals.stream().map(AccessDeniedException::getFile).toList());
        assertEquals("inspection is read-only: cannot rename", refusals.get(0).getReason());
        assertEquals("inspection is read-only: cannot create", refusals.get(3).getReason());
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
        assertEquals(List.of(file), io.list(dir));
    }

    @Test
    void filesOpenForReadingWhateverTheCallerAsks() throws IOException {
        Path file = Files.write(dir.resolve("leader-epoch-checkpoint"), CONTENT);

        try (FileHandle handle = ReadOnlyFileIo.INSTANCE.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer read = ByteBuffer.allocate(CONTENT.length);
            handle.readFully(read, 0);
            assertArrayEquals(CONTENT, read.array());
            assertThrows(NonWritableChannelException.class, () -> handle.write(ByteBuffer.wrap(new byte[] {1}), 0));
        }
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
    }

    @Test
    void openingAMissingFileNeverCreatesIt() {
        Path missing = dir.resolve("00000000000000000000.index");

        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> ReadOnlyFileIo.INSTANCE.open(missing, StandardOpenOption.CREATE, StandardOpenOption.WRITE));

        assertEquals(missing.toString(), e.getFile());
        assertFalse(Files.exists(missing));
        assertTrue(Files.isDirectory(dir));
    }
}
