/**
 * Read-only inspection of the storage module's files, for offline tools such as
 * {@code tributary dump-log}: segments ({@link io.tributary.storage.inspect.SegmentDump}), their
 * offset and time indexes ({@link io.tributary.storage.inspect.IndexDump}) and the checkpoint files
 * of partition and log directories ({@link io.tributary.storage.inspect.CheckpointDump}).
 *
 * <p>Everything here opens files for reading only, never creates, repairs or truncates anything, and
 * works on the files of a stopped or a running node (a running node may append while a file is read;
 * the reader then sees a prefix). Results are plain immutable records. Damage is reported in the
 * results, not thrown: a corrupt batch, an index entry that does not match its log, a malformed
 * checkpoint. Only an unreadable file (missing, a directory, no permission) throws
 * {@link java.io.IOException}. The decoding itself is the storage module's and the common record
 * codec's, so what is printed is what the log reads.
 */
package io.tributary.storage.inspect;
