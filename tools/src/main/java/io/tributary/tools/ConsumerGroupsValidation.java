package io.tributary.tools;

import io.tributary.tools.internal.OutputFormat;
import java.util.List;

/**
 * The rules of {@code consumer-groups} options that picocli cannot express: which options go with
 * which action, and which exclude each other. Each broken rule is a usage error (exit 2) naming the
 * options, found before anything connects to the cluster.
 */
final class ConsumerGroupsValidation {

    private ConsumerGroupsValidation() {
    }

    static void validate(ConsumerGroupsCommand command) {
        ConsumerGroupsCommand.Action action = command.action;
        if (OutputFormat.isJson(command.output, command.spec.commandLine()) && !(action.list || action.describe)) {
            throw command.usageError("--output json is only valid with --list and --describe");
        }
        groups(command);
        topics(command);
        describeModes(command);
        resetOptions(command);
        if (action.list) {
            command.listedStates();
        }
    }

    private static String actionName(ConsumerGroupsCommand.Action action) {
        return action.list ? "--list" : action.describe ? "--describe" : action.resetOffsets ? "--reset-offsets"
                : action.delete ? "--delete" : "--delete-offsets";
    }

    private static void groups(ConsumerGroupsCommand command) {
        ConsumerGroupsCommand.Action action = command.action;
        boolean named = !command.groups.isEmpty();
        if (action.list) {
            if (named || command.allGroups) {
                throw command.usageError("--group and --all-groups are not valid with --list");
            }
        } else if (action.deleteOffsets) {
            if (command.groups.size() != 1 || command.allGroups) {
                throw command.usageError("--delete-offsets needs exactly one --group");
            }
        } else if (named && command.allGroups) {
            throw command.usageError("--group and --all-groups cannot be used together");
        } else if (!named && !command.allGroups) {
            throw command.usageError(actionName(action) + " needs --group GROUP or --all-groups");
        }
    }

    private static void topics(ConsumerGroupsCommand command) {
        ConsumerGroupsCommand.Action action = command.action;
        boolean named = !command.topics.isEmpty();
        if (command.allTopics && !action.resetOffsets) {
            throw command.usageError("--all-topics is only valid with --reset-offsets");
        }
        if (named && !(action.resetOffsets || action.deleteOffsets)) {
            throw command.usageError("--topic is only valid with --reset-offsets and --delete-offsets");
        }
        if (action.resetOffsets && named && command.allTopics) {
            throw command.usageError("--topic and --all-topics cannot be used together");
        }
        if (action.resetOffsets && !named && !command.allTopics) {
            throw command.usageError("--reset-offsets needs a scope: --topic TOPIC[:P,P...] or --all-topics");
        }
        if (action.deleteOffsets && !named) {
            throw command.usageError("--delete-offsets needs --topic TOPIC[:P,P...]");
        }
        command.scope();
    }

    private static void describeModes(ConsumerGroupsCommand command) {
        ConsumerGroupsCommand.Action action = command.action;
        boolean stateGiven = command.state != null;
        if ((command.offsets || command.members) && !action.describe) {
            throw command.usageError("--offsets and --members are only valid with --describe");
        }
        if (stateGiven && !(action.describe || action.list)) {
            throw command.usageError("--state is only valid with --list and --describe");
        }
        if (command.verbose && !(action.describe && (command.members || stateGiven))) {
            throw command.usageError("--verbose is only valid with --describe --members and --describe --state");
        }
        if (!action.describe) {
            return;
        }
        int modes = (command.offsets ? 1 : 0) + (command.members ? 1 : 0) + (stateGiven ? 1 : 0);
        if (modes > 1) {
            throw command.usageError("--offsets, --members and --state cannot be used together");
        }
        if (stateGiven && !command.state.isEmpty()) {
            throw command.usageError("--state takes no value with --describe (states filter only --list); got '"
                    + command.state + "'");
        }
    }

    private static void resetOptions(ConsumerGroupsCommand command) {
        ConsumerGroupsCommand.ResetOptions reset = command.reset;
        List<String> specs = reset.given();
        if (!command.action.resetOffsets) {
            if (!specs.isEmpty() || reset.dryRun || reset.execute) {
                throw command.usageError("--to-*, --shift-by, --by-duration, --dry-run and --execute are only valid "
                        + "with --reset-offsets");
            }
            return;
        }
        if (specs.isEmpty()) {
            throw command.usageError("--reset-offsets needs one of --to-earliest, --to-latest, --to-current, "
                    + "--to-offset, --to-datetime, --shift-by, --by-duration");
        }
        if (specs.size() > 1) {
            throw command.usageError("--reset-offsets takes exactly one of --to-earliest, --to-latest, --to-current, "
                    + "--to-offset, --to-datetime, --shift-by, --by-duration; got " + String.join(" and ", specs));
        }
        if (reset.dryRun && reset.execute) {
            throw command.usageError("--dry-run and --execute cannot be used together");
        }
        command.resetSpec();
    }
}
