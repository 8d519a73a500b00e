package io.ipckit.core.internal.codec;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads stack traces with every {@link StackTraceElement} field, including class
 * loader name, module name and version, and the private display format. Strings repeated within
 * one trace (class, file and module names) are written once and then referred to by index.
 */
final class StackTraceCodec {

    /** StackTraceElement's private display format (whether to show the loader name); may be null. */
    private static final Field FORMAT = formatField();

    private static final int NULL = 0;
    private static final int NEW = 1;

    private StackTraceCodec() {
    }

    private static Field formatField() {
        try {
            Field f = StackTraceElement.class.getDeclaredField("format");
            return f.getType() == byte.class && f.trySetAccessible() ? f : null;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** Writes a trace; null means "not writable" (Throwable built with writableStackTrace=false). */
    static void write(Output out, StackTraceElement[] trace) {
        if (trace == null) {
            out.writeVarInt(0, true);
            return;
        }
        out.writeVarInt(trace.length + 1, true);
        Map<String, Integer> seen = new HashMap<>();
        for (StackTraceElement e : trace) {
            writeString(out, e.getClassLoaderName(), seen);
            writeString(out, e.getModuleName(), seen);
            writeString(out, e.getModuleVersion(), seen);
            writeString(out, e.getClassName(), seen);
            writeString(out, e.getMethodName(), seen);
            writeString(out, e.getFileName(), seen);
            out.writeVarInt(e.getLineNumber(), false);
            out.writeByte(format(e));
        }
    }

    static StackTraceElement[] read(Input in) {
        int n = in.readVarInt(true);
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        if (length > in.limit() - in.position()) {
            throw new IllegalArgumentException("stack trace length " + length + " exceeds the remaining input");
        }
        StackTraceElement[] trace = new StackTraceElement[length];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String loader = readString(in, seen);
            String module = readString(in, seen);
            String moduleVersion = readString(in, seen);
            String declaringClass = readString(in, seen);
            String method = readString(in, seen);
            String file = readString(in, seen);
            int line = in.readVarInt(false);
            byte format = in.readByte();
            trace[i] = new StackTraceElement(loader, module, moduleVersion, declaringClass, method, file, line);
            if (FORMAT != null && format != 0) {
                ThrowableFields.set(FORMAT, trace[i], format);
            }
        }
        return trace;
    }

    private static byte format(StackTraceElement e) {
        return FORMAT == null ? 0 : (Byte) ThrowableFields.get(FORMAT, e);
    }

    private static void writeString(Output out, String s, Map<String, Integer> seen) {
        if (s == null) {
            out.writeVarInt(NULL, true);
            return;
        }
        Integer index = seen.get(s);
        if (index != null) {
            out.writeVarInt(index + 2, true);
            return;
        }
        seen.put(s, seen.size());
        out.writeVarInt(NEW, true);
        out.writeString(s);
    }

    private static String readString(Input in, List<String> seen) {
        int tag = in.readVarInt(true);
        if (tag == NULL) {
            return null;
        }
        if (tag == NEW) {
            String s = in.readString();
            seen.add(s);
            return s;
        }
        return seen.get(tag - 2);
    }
}
