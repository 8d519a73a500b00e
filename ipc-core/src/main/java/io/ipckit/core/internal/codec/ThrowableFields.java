package io.ipckit.core.internal.codec;

import io.ipckit.core.SerializationException;

import java.lang.reflect.Field;
import java.util.List;

/**
 * Reflective access to {@link Throwable}'s private state, which needs
 * {@code --add-opens=java.base/java.lang=ALL-UNNAMED} (part of ipckit's JVM flags).
 */
final class ThrowableFields {

    static final Field DETAIL_MESSAGE;
    static final Field CAUSE;
    static final Field STACK_TRACE;
    static final Field SUPPRESSED;
    /** Throwable's "no suppressed exceptions yet" sentinel, or null if inaccessible. */
    static final List<?> SUPPRESSED_SENTINEL;
    /** Why the fields are inaccessible; null if they are accessible. */
    private static final String PROBLEM;

    static {
        Field message = null;
        Field cause = null;
        Field stackTrace = null;
        Field suppressed = null;
        List<?> sentinel = null;
        String problem = null;
        try {
            message = open(Throwable.class.getDeclaredField("detailMessage"));
            cause = open(Throwable.class.getDeclaredField("cause"));
            stackTrace = open(Throwable.class.getDeclaredField("stackTrace"));
            suppressed = open(Throwable.class.getDeclaredField("suppressedExceptions"));
            sentinel = (List<?>) open(Throwable.class.getDeclaredField("SUPPRESSED_SENTINEL")).get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = e.toString();
        }
        DETAIL_MESSAGE = message;
        CAUSE = cause;
        STACK_TRACE = stackTrace;
        SUPPRESSED = suppressed;
        SUPPRESSED_SENTINEL = sentinel;
        PROBLEM = problem;
    }

    private ThrowableFields() {
    }

    private static Field open(Field field) throws NoSuchFieldException {
        if (!field.trySetAccessible()) {
            throw new NoSuchFieldException("java.lang is not opened to ipckit, so " + field + " is inaccessible");
        }
        return field;
    }

    /**
     * @throws SerializationException if Throwable's fields are inaccessible
     */
    static void requireAccess(String verb, Class<?> type) {
        if (PROBLEM != null) {
            throw new SerializationException("cannot " + verb + " exception " + type.getName()
                    + ": ipckit needs reflective access to java.lang.Throwable (" + PROBLEM
                    + "); start the JVM with ipckit's flags, which include --add-opens=java.base/java.lang=ALL-UNNAMED");
        }
    }

    static Object get(Field field, Object target) {
        try {
            return field.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("field was opened: " + field, e);
        }
    }

    static void set(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("field was opened: " + field, e);
        }
    }
}
