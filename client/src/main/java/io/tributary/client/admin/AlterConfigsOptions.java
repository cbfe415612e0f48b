package io.tributary.client.admin;

/** Options of {@link Admin#incrementalAlterConfigs}. */
public final class AlterConfigsOptions extends AbstractOptions<AlterConfigsOptions> {

    private boolean validateOnly;

    /** When true the controller only checks the changes and records nothing. */
    public AlterConfigsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }
}
