package io.tributary.client.admin;

/** Options of {@link Admin#deleteRecords}: only the call timeout. */
public final class DeleteRecordsOptions extends AbstractOptions<DeleteRecordsOptions> {
}
