package io.tributary.quorum.raft;

import java.util.List;

/**
 * What the Raft core asks its driver to do, in this order:
 *
 * <ol>
 *   <li>persist {@code electionState} (if not null),
 *   <li>flush the log (if {@code flushLog}), then call {@link RaftCore#logFlushed},
 *   <li>send {@code messages},
 *   <li>load {@code snapshot} into the state machine (if not null): its state replaces whatever the
 *       state machine held,
 *   <li>apply {@code committed} entries to the state machine; they continue the snapshot when there
 *       is one.
 * </ol>
 *
 * Nothing may be sent before what it depends on is durable, and no committed entry may reach the
 * state machine before the snapshot it follows. A core that starts with a snapshot on disk hands it
 * out in its first Ready.
 *
 * @param electionState the quorum state to write durably, or null when unchanged
 * @param flushLog      whether appended or truncated entries must be made durable
 * @param messages      messages to send
 * @param snapshot      a snapshot the state machine must load before {@code committed}, or null
 * @param committed     newly committed entries, in offset order
 */
public record Ready(ElectionState electionState, boolean flushLog, List<RaftMessage> messages, Snapshot snapshot,
                    List<LogEntry> committed) {

    public Ready {
        messages = List.copyOf(messages);
        committed = List.copyOf(committed);
    }

    public boolean isEmpty() {
        return electionState == null && !flushLog && messages.isEmpty() && snapshot == null && committed.isEmpty();
    }
}
