package io.tributary.client.admin;

/** Options of {@link Admin#electLeaders}. */
public final class ElectLeadersOptions extends AbstractOptions<ElectLeadersOptions> {
}
