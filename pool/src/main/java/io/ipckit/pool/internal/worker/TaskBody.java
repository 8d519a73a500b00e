package io.ipckit.pool.internal.worker;

import io.ipckit.pool.internal.TaskShape;

import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a worker runs: a function of one of four shapes and, for a chunk, its arguments. Encoded once
 * by the caller at submit (so an unencodable task is refused there) and decoded by the worker. Worker's main thread.
 *
 * @param shape one of {@link TaskShape}'s shapes
 * @param fn a Callable, Runnable, Function or BiFunction according to the shape
 * @param args the items of the chunk: one per call for {@link #FUNCTION}, two per call (flattened)
 *     for {@link #BIFUNCTION}, none otherwise
 */
record TaskBody(int shape, Object fn, Object[] args) {
    private static final int CALLABLE = TaskShape.CALLABLE;
    private static final int RUNNABLE = TaskShape.RUNNABLE;
    private static final int FUNCTION = TaskShape.FUNCTION;
    private static final int BIFUNCTION = TaskShape.BIFUNCTION;

    /** Number of results the body produces. */
    public int calls() {
        switch (shape) {
            case FUNCTION:
                return args.length;
            case BIFUNCTION:
                return args.length / 2;
            default:
                return 1;
        }
    }

    /**
     * Runs every call in order, storing results in {@code out} (of length {@link #calls()}).
     *
     * @return the number of calls that completed; when it is below {@code calls()}, {@code error[0]}
     *     holds what the next one threw
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int run(Object[] out, Throwable[] error) {
        int i = 0;
        try {
            switch (shape) {
                case CALLABLE:
                    out[0] = ((Callable<?>) fn).call();
                    i = 1;
                    break;
                case RUNNABLE:
                    ((Runnable) fn).run();
                    i = 1;
                    break;
                case FUNCTION: {
                    Function f = (Function) fn;
                    for (; i < out.length; i++) {
                        out[i] = f.apply(args[i]);
                    }
                    break;
                }
                case BIFUNCTION: {
                    BiFunction f = (BiFunction) fn;
                    for (; i < out.length; i++) {
                        out[i] = f.apply(args[2 * i], args[2 * i + 1]);
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("unknown task shape " + shape);
            }
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            error[0] = t;
        }
        return i;
    }
}
