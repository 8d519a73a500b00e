package io.ipckit.core.internal;

import java.util.regex.Pattern;

/** Validation of object names, done before any file is touched. */
public final class Names {
    /** Longest accepted name. */
    public static final int MAX_LENGTH = 100;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private Names() {
    }

    /**
     * Returns {@code name} when it is 1 to 100 characters of {@code [A-Za-z0-9._-]} and not {@code .} or
     * {@code ..}.
     *
     * @param kind what is being named ("channel", "queue"...), used in the message
     * @throws IllegalArgumentException naming the bad name and the rule
     */
    public static String validate(String kind, String name) {
        if (name == null) {
            throw new IllegalArgumentException(kind + " name is null; use 1 to " + MAX_LENGTH
                    + " characters of [A-Za-z0-9._-]");
        }
        if (name.equals(".") || name.equals("..") || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " name " + quote(name) + ": use 1 to "
                    + MAX_LENGTH + " characters of [A-Za-z0-9._-], not '.' or '..'");
        }
        return name;
    }

    private static String quote(String name) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(name.length(), 40);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (shown < name.length()) {
            sb.append("...\" (").append(name.length()).append(" characters)");
        } else {
            sb.append('"');
        }
        return sb.toString();
    }
}
