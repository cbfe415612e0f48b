package io.tributary.quorum.runtime;

import io.tributary.quorum.raft.OffsetAndEpoch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log's snapshots on disk (DESIGN.md §4): one {@code <20-digit end offset>-<10-digit
 * epoch>.checkpoint} file per snapshot, in the log's directory. A file holds a header — magic
 * {@code TRSN}, format version 1, end offset, epoch, data length, CRC32C of the data (big-endian) —
 * then the state machine's bytes.
 *
 * <p>A snapshot is written atomically: to {@code <name>.tmp}, fsynced, renamed to its name, then the
 * directory is fsynced. A crash leaves at most a temporary file, which {@link #open} deletes. Only the
 * driver thread uses it.
 */
public final class SnapshotFiles {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);
    static final String SUFFIX = ".checkpoint";
    static final String TEMP_SUFFIX = SUFFIX + ".tmp";
    private static final int MAGIC = 0x5452534E;
    private static final int VERSION = 1;
    static final int HEADER_BYTES = 4 + 4 + 8 + 4 + 8 + 4;

    /** A snapshot on disk: its id and the size of its data (the header aside). */
    record Stored(OffsetAndEpoch id, long sizeBytes) {
    }

    /** Snapshot files end with this. */
    public static final String FILE_SUFFIX = SUFFIX;

    /**
     * A snapshot file's header fields as stored.
     *
     * @param magic      {@code TRSN} in a snapshot file
     * @param version    the format version (1)
     * @param id         the end offset and epoch the header names
     * @param dataBytes  the data length the header declares
     * @param crc        the CRC32C of the data the header declares
     */
    public record Header(int magic, int version, OffsetAndEpoch id, long dataBytes, int crc) {

        static Header read(FileChannel channel) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(channel, header, 0);
            header.flip();
            return new Header(header.getInt(), header.getInt(), new OffsetAndEpoch(header.getLong(), header.getInt()),
                    header.getLong(), header.getInt());
        }

        /** Why this header does not describe a valid snapshot {@code named} of {@code fileBytes}, if so. */
        Optional<String> problem(OffsetAndEpoch named, long fileBytes) {
            if (magic != MAGIC || version != VERSION) {
                return Optional.of("magic " + Integer.toHexString(magic) + " or version " + version + " is unknown");
            }
            if (!id.equals(named) || dataBytes != fileBytes - HEADER_BYTES) {
                return Optional.of("its header names " + id + " with " + dataBytes + " bytes of data");
            }
            return Optional.empty();
        }
    }

    /**
     * A whole snapshot file read for inspection (io.tributary.quorum.inspect), checked as {@link #open}
     * checks it.
     *
     * @param header    the header, or null when the file is shorter than one
     * @param dataBytes how many bytes follow the header
     * @param data      the bytes after the header when they were asked for and the snapshot is valid,
     *                  else null
     * @param problem   why the snapshot would be ignored on a node's start, or null when it is valid
     */
    public record Contents(Header header, long dataBytes, byte[] data, String problem) {
    }

    private final Path dir;

    SnapshotFiles(Path dir) {
        this.dir = dir;
    }

    static String fileName(OffsetAndEpoch id) {
        return String.format("%020d-%010d%s", id.offset(), id.epoch(), SUFFIX);
    }

    /** The id a snapshot file name encodes, if it is one. */
    static Optional<OffsetAndEpoch> parse(String fileName) {
        if (fileName.length() != 20 + 1 + 10 + SUFFIX.length() || !fileName.endsWith(SUFFIX)
                || fileName.charAt(20) != '-') {
            return Optional.empty();
        }
        String offset = fileName.substring(0, 20);
        String epoch = fileName.substring(21, 31);
        if (!offset.chars().allMatch(Character::isDigit) || !epoch.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OffsetAndEpoch(Long.parseLong(offset), Integer.parseInt(epoch)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the temporary files a crash left and returns the latest snapshot that reads back whole
     * (header matching its name, data matching its checksum); an invalid one is skipped with a warning.
     */
    Optional<Stored> open() {
        try {
            Files.createDirectories(dir);
            List<OffsetAndEpoch> ids = new ArrayList<>();
            for (Path file : list()) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    log.info("Deleting {}, a snapshot whose writing a crash interrupted", file);
                    Files.delete(file);
                } else {
                    parse(name).ifPresent(ids::add);
                }
            }
            ids.sort(Comparator.comparingLong(OffsetAndEpoch::offset).reversed());
            for (OffsetAndEpoch id : ids) {
                Optional<String> problem = validate(id);
                if (problem.isEmpty()) {
                    return Optional.of(new Stored(id, Files.size(file(id)) - HEADER_BYTES));
                }
                log.warn("Ignoring snapshot {}: {}", file(id), problem.get());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("opening the snapshots in " + dir, e);
        }
    }

    private Optional<String> validate(OffsetAndEpoch id) throws IOException {
        Path file = file(id);
        long fileBytes = Files.size(file);
        if (fileBytes < HEADER_BYTES) {
            return Optional.of("it has " + fileBytes + " bytes, less than a header");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = Header.read(channel);
            Optional<String> problem = header.problem(id, fileBytes);
            if (problem.isPresent()) {
                return problem;
            }
            return checksumProblem(channel, header, fileBytes);
        }
    }

    /** Whether the data after the header matches the header's CRC, read in chunks. */
    private static Optional<String> checksumProblem(FileChannel channel, Header header, long fileBytes)
            throws IOException {
        CRC32C checksum = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long position = HEADER_BYTES;
        while (position < fileBytes) {
            int bytes = (int) Math.min(chunk.capacity(), fileBytes - position);
            chunk.clear().limit(bytes);
            readFully(channel, chunk, position);
            checksum.update(chunk.flip());
            position += bytes;
        }
        return (int) checksum.getValue() == header.crc() ? Optional.empty()
                : Optional.of("its data does not match its checksum");
    }

    /**
     * Reads and checks a snapshot file, whose name must be a snapshot's, without changing anything. The
     * checksum is computed in chunks; the data is loaded into memory only when asked for.
     *
     * @param withData whether to load the data of a valid snapshot (to decode it)
     * @throws IllegalArgumentException when the name is not {@code <offset>-<epoch>.checkpoint}
     * @throws IOException when the file cannot be read
     */
    public static Contents readFile(Path file, boolean withData) throws IOException {
        OffsetAndEpoch named = parse(file.getFileName().toString()).orElseThrow(() -> new IllegalArgumentException(
                file + " is not named <20-digit end offset>-<10-digit epoch>" + SUFFIX));
        long fileBytes = Files.size(file);
        if (fileBytes < HEADER_BYTES) {
            return new Contents(null, 0, null, "it has " + fileBytes + " bytes, less than a header");
        }
        long dataBytes = fileBytes - HEADER_BYTES;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = Header.read(channel);
            Optional<String> problem = header.problem(named, fileBytes);
            if (problem.isEmpty()) {
                problem = checksumProblem(channel, header, fileBytes);
            }
            if (problem.isPresent() || !withData) {
                return new Contents(header, dataBytes, null, problem.orElse(null));
            }
            if (dataBytes > Integer.MAX_VALUE) {
                throw new IOException(file + " has " + fileBytes + " bytes, too many to decode in memory");
            }
            ByteBuffer data = ByteBuffer.allocate((int) dataBytes);
            readFully(channel, data, HEADER_BYTES);
            return new Contents(header, dataBytes, data.array(), null);
        }
    }

    /** Writes a snapshot atomically and durably. */
    Stored write(OffsetAndEpoch id, byte[] data) {
        Path file = file(id);
        Path temp = dir.resolve(fileName(id).replace(SUFFIX, TEMP_SUFFIX));
        CRC32C checksum = new CRC32C();
        checksum.update(data);
        ByteBuffer content = ByteBuffer.allocate(HEADER_BYTES + data.length).putInt(MAGIC).putInt(VERSION)
                .putLong(id.offset()).putInt(id.epoch()).putLong(data.length).putInt((int) checksum.getValue())
                .put(data).flip();
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            fsyncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("writing snapshot " + file, e);
        }
        return new Stored(id, data.length);
    }

    /** Up to {@code maxBytes} of snapshot {@code id}'s data from {@code position} (fewer at its end). */
    byte[] read(Stored snapshot, long position, int maxBytes) {
        if (position < 0 || position > snapshot.sizeBytes()) {
            throw new IllegalArgumentException("position " + position + " is outside snapshot " + snapshot.id()
                    + " of " + snapshot.sizeBytes() + " bytes");
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(maxBytes, snapshot.sizeBytes() - position));
        try (FileChannel channel = FileChannel.open(file(snapshot.id()), StandardOpenOption.READ)) {
            readFully(channel, chunk, HEADER_BYTES + position);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshot " + file(snapshot.id()), e);
        }
        return chunk.array();
    }

    /** Deletes every snapshot file but {@code keep}'s (the log start has moved past them). */
    void deleteAllBut(OffsetAndEpoch keep) {
        try {
            boolean deleted = false;
            for (Path file : list()) {
                Optional<OffsetAndEpoch> id = parse(file.getFileName().toString());
                if (id.isPresent() && !id.get().equals(keep)) {
                    Files.delete(file);
                    deleted = true;
                }
            }
            if (deleted) {
                fsyncDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting old snapshots in " + dir, e);
        }
    }

    Path file(OffsetAndEpoch id) {
        return dir.resolve(fileName(id));
    }

    private List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX + "*")) {
            stream.forEach(files::add);
        }
        return files;
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file at " + at);
            }
            at += read;
        }
    }
}
