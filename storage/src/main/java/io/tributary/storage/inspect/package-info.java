/**
 * Read-only inspection of the storage module's files, for offline tools such as
 * {@code tributary dump-log}: segments ({@link io.tributary.storage.inspect.SegmentDump}), their
 * offset and time indexes ({@link io.tributary.storage.inspect.IndexDump}) and the checkpoint files
 * of partition and log directories ({@link io.tributary.storage.inspect.CheckpointDump}).
 *
 * <p>Everything here opens files for reading only, never creates, repairs or truncates anything, and
 * works on the files of a stopped or a running node (a running node may append while a file is read;
 * the reader then sees a prefix). Results are plain immutable records. Damage is reported in the
 * results, not thrown: a corrupt batch, a torn tail, an index entry that does not match its log. A
 * checkpoint the log would refuse is refused the same way
 * ({@link io.tributary.storage.CorruptCheckpointException}, naming file and line); a file that is not
 * named as its kind requires throws {@link IllegalArgumentException}, and an unreadable one (missing,
 * no permission) {@link java.io.IOException}. The decoding itself is the storage module's and the
 * common record codec's, so what is shown is what the log reads.
 */
package io.tributary.storage.inspect;
