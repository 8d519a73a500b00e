package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import io.ipckit.core.MessageTooLargeException;
import io.ipckit.core.SerializationException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Turns whatever Kryo or a serializer threw into a {@link SerializationException} that names the class and the fix. */
public final class Failures {

    private static final String TRACE = "Serialization trace:";

    private Failures() {
    }

    /**
     * The same failure with {@code where} (the channel, queue or call it happened on) in front of its
     * message; a {@link MessageTooLargeException} stays one. The original is the cause.
     */
    public static SerializationException within(String where, SerializationException e) {
        String message = where + ": " + e.getMessage();
        if (e instanceof MessageTooLargeException) {
            MessageTooLargeException tooLarge = new MessageTooLargeException(message);
            tooLarge.initCause(e);
            return tooLarge;
        }
        return new SerializationException(message, e);
    }

    /**
     * @param value what was being encoded
     * @param e what Kryo or a serializer threw
     * @param limit the codec's size limit in bytes
     */
    public static SerializationException encoding(Object value, Throwable e, int limit) {
        String type = value == null ? "null" : value.getClass().getName();
        if (find(e, KryoBufferOverflowException.class) != null) {
            return new MessageTooLargeException("cannot encode " + type + ": its encoding exceeds the codec's limit of "
                    + limit + " bytes (" + mebibytes(limit) + "); raise the limit with Codec.builder().maxMessageBytes(...)"
                    + " on both the writing and the reading side, or send the data in smaller pieces");
        }
        String path = fieldPath(e);
        String where = path.isEmpty() ? "" : " (at " + path + ", encoding " + type + ")";
        SerializationException known = find(e, SerializationException.class);
        if (known == e) {
            return known;
        }
        if (known != null) {
            return new SerializationException(known.getMessage() + where, e);
        }
        if (e instanceof StackOverflowError) {
            return new SerializationException("cannot encode " + type + ": the object graph is nested too deeply for the"
                    + " thread's stack" + where + "; send long linked structures as a List or an array, or raise the"
                    + " stack size (-Xss)", e);
        }
        return new SerializationException("cannot encode " + type + where + ": " + rootCause(e)
                + "; Kryo cannot serialize this object graph: mark the offending field transient, or hold plain data"
                + " (fields, arrays, collections, records) there instead", e);
    }

    /**
     * @param e what Kryo or a serializer threw
     * @param length how many bytes were being decoded
     * @param position how far decoding got, counted from the start of those bytes
     */
    public static SerializationException decoding(Throwable e, int length, int position) {
        String prefix = "cannot decode " + length + " bytes: ";
        String at = "at byte " + position + " of " + length;
        if (e instanceof OutOfMemoryError) {
            return new SerializationException(prefix + "corrupt input " + at + " (it declares a size too large for the heap)", e);
        }
        if (e instanceof StackOverflowError) {
            return new SerializationException(prefix + "the value is nested too deeply for the thread's stack (" + at
                    + "); raise the stack size (-Xss) or send flatter data", e);
        }
        SerializationException known = find(e, SerializationException.class);
        if (known != null) {
            return new SerializationException(prefix + known.getMessage(), e);
        }
        if (find(e, KryoBufferUnderflowException.class) != null) {
            return new SerializationException(prefix + "truncated or corrupt input " + at, e);
        }
        String message = message(e);
        if (e instanceof KryoException && message.startsWith("Encountered unregistered class ID: ")) {
            return new SerializationException(prefix + "corrupt input " + at + " (unknown class id "
                    + message.substring("Encountered unregistered class ID: ".length())
                    + "; was it written by a different ipckit version?)", e);
        }
        String path = fieldPath(e);
        return new SerializationException(prefix + "corrupt input, or a class that differs between the writing and the"
                + " reading JVM, " + at + (path.isEmpty() ? "" : " (in " + path + ")") + ": " + rootCause(e), e);
    }

    /** The innermost cause as "class: message", without Kryo's serialization trace. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = message(root);
        return message.isEmpty() ? root.getClass().getName() : root.getClass().getName() + ": " + message;
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return "";
        }
        int trace = message.indexOf(TRACE);
        return (trace < 0 ? message : message.substring(0, trace)).strip();
    }

    /** Kryo's serialization trace as "Outer.field -> Inner.field", outermost first; empty if none. */
    static String fieldPath(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t instanceof KryoException ? t.getMessage() : null;
            int trace = message == null ? -1 : message.indexOf(TRACE);
            if (trace >= 0) {
                List<String> steps = new ArrayList<>();
                for (String line : message.substring(trace + TRACE.length()).strip().split("\n")) {
                    steps.add(step(line.strip()));
                }
                Collections.reverse(steps);
                return String.join(" -> ", steps);
            }
        }
        return "";
    }

    /** "field (com.acme.Type)" to "com.acme.Type.field". */
    private static String step(String line) {
        int open = line.lastIndexOf(" (");
        if (open < 0 || !line.endsWith(")")) {
            return line;
        }
        return line.substring(open + 2, line.length() - 1) + "." + line.substring(0, open);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String mebibytes(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : String.format("%.2f MiB", bytes / 1048576.0);
    }
}
