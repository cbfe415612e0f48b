/**
 * Read-only inspection of the metadata quorum's files, for offline tools such as
 * {@code tributary dump-log}: the segments of the metadata log
 * ({@link io.tributary.quorum.inspect.MetadataLogDump}), its snapshots
 * ({@link io.tributary.quorum.inspect.MetadataSnapshotDump}) and {@code quorum-state}
 * ({@link io.tributary.quorum.inspect.QuorumStateDump}).
 *
 * <p>Nothing here writes, creates or repairs a file. Results are plain immutable records; metadata
 * records are the {@code tributary.metadata.v1} protobuf messages. The reading is the quorum's own
 * (segments through the storage module's {@code io.tributary.storage.inspect}, snapshots and
 * quorum-state through the classes that write them), so what is shown is what a node would load.
 */
package io.tributary.quorum.inspect;
