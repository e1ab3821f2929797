package org.spreadjms.client;

import static org.spreadjms.client.wire.GroupNames.MAX_DAEMON_NAME_LENGTH;
import static org.spreadjms.client.wire.GroupNames.MAX_GROUP_NAME_LENGTH;
import static org.spreadjms.client.wire.GroupNames.MAX_PRIVATE_NAME_LENGTH;
import static org.spreadjms.client.wire.GroupNames.isLegalNameByte;

/**
 * Rules for group names, private names and private group names, checked before anything is sent; a name that breaks
 * one is refused with {@link SpreadException.IllegalRequestException} naming the value and the rule.
 *
 * <p>Spread's C library accepts group names of 1..31 bytes in {@code '$'..'~'} (36..126). This project adds one rule
 * of its own: a group name must not start with a digit (so that names stay usable as JMS destinations and never look
 * like a daemon address). A name starting with {@code '#'} is a private group name {@code #name#daemon} and may only be
 * used as a multicast destination.
 */
public final class NameRules {
    private NameRules() {
    }

    /** Checks a group name for join, leave and multicast. */
    public static void checkGroupName(String group) throws SpreadException {
        if (group == null || group.isEmpty()) {
            throw illegalGroup("group name is empty");
        }
        if (group.charAt(0) == '#') {
            throw illegalGroup("group name '" + group + "' starts with '#', which marks private group names");
        }
        if (group.length() > MAX_GROUP_NAME_LENGTH) {
            throw illegalGroup("group name '" + group + "' is " + group.length() + " characters (at most "
                    + MAX_GROUP_NAME_LENGTH + " allowed)");
        }
        if (Character.isDigit(group.charAt(0))) {
            throw illegalGroup("group name '" + group + "' starts with a digit (not allowed)");
        }
        checkChars(group, "group name", SpreadError.ILLEGAL_GROUP);
    }

    /** Checks a multicast destination: a group name or a private group name {@code #name#daemon}. */
    public static void checkDestination(String destination) throws SpreadException {
        if (destination != null && !destination.isEmpty() && destination.charAt(0) == '#') {
            checkPrivateGroupName(destination);
        } else {
            checkGroupName(destination);
        }
    }

    /** Checks a private group name {@code #name#daemon}. */
    public static void checkPrivateGroupName(String name) throws SpreadException {
        int second = name.indexOf('#', 1);
        if (name.length() > MAX_GROUP_NAME_LENGTH || name.charAt(0) != '#' || second < 2
                || second - 1 > MAX_PRIVATE_NAME_LENGTH || second == name.length() - 1
                || name.length() - second - 1 > MAX_DAEMON_NAME_LENGTH) {
            throw illegalGroup("private group name '" + name + "' is not of the form #name#daemon (name of 1.."
                    + MAX_PRIVATE_NAME_LENGTH + " and daemon of 1.." + MAX_DAEMON_NAME_LENGTH
                    + " characters, at most " + MAX_GROUP_NAME_LENGTH + " in all)");
        }
        checkChars(name.substring(1, second), "private group name '" + name + "'", SpreadError.ILLEGAL_GROUP);
        checkChars(name.substring(second + 1), "private group name '" + name + "'", SpreadError.ILLEGAL_GROUP);
    }

    /**
     * Checks a private name asked for at connect time (empty means: the daemon picks one).
     */
    public static void checkPrivateName(String name) throws SpreadException {
        if (name.length() > MAX_PRIVATE_NAME_LENGTH) {
            throw new SpreadException.IllegalRequestException(SpreadError.REJECT_ILLEGAL_NAME,
                    "private name '" + name + "' is " + name.length() + " characters (at most "
                            + MAX_PRIVATE_NAME_LENGTH + " allowed)", null);
        }
        checkChars(name, "private name", SpreadError.REJECT_ILLEGAL_NAME);
    }

    private static void checkChars(String s, String what, SpreadError error) throws SpreadException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLegalNameByte(c)) {
                throw new SpreadException.IllegalRequestException(error, what + " '" + s + "' has character "
                        + describe(c) + " at index " + i + " (only '$' through '~' allowed)", null);
            }
        }
    }

    private static String describe(char c) {
        return c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static SpreadException illegalGroup(String message) {
        return new SpreadException.IllegalRequestException(SpreadError.ILLEGAL_GROUP, message, null);
    }
}
