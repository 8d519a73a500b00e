package io.ipckit.pool.internal.caller;

import io.ipckit.pool.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The counts of one call with {@link Progress}: a listener and/or a {@code me.tongfei:progressbar} bar
 * on standard error. {@link #advance} comes from the result thread, {@link #finish} from any thread;
 * after {@code finish} nothing more is reported. A call without progress gets {@link #NONE}, whose
 * methods do nothing (no lock, no allocation), so callers need no null checks.
 */
public class ProgressMeter {
    /** The meter of a call without progress: every method does nothing. */
    public static final ProgressMeter NONE = new ProgressMeter(null, null, -1) {
        @Override
        public void advance(long items) {
        }

        @Override
        public void total(long items) {
        }

        @Override
        public void finish() {
        }
    };

    /** Redraws of a bar on a console. */
    static final int CONSOLE_REFRESH_MILLIS = 200;
    /** Plain lines when there is no console: one at the start, one this often, one at the end. */
    static final int PLAIN_REFRESH_MILLIS = 10_000;
    private static final int PLAIN_WIDTH = 100;

    /** Configures progressbar's drawing thread once, when the first bar is made (not for {@link #NONE}). */
    private static final class Drawing {
        static {
            letDrawingThreadEnd();
        }

        static void ready() {
        }
    }

    private final ProgressBar bar;
    private final Progress.Listener listener;
    private long done;
    private long total;
    private boolean finished;

    private ProgressMeter(ProgressBar bar, Progress.Listener listener, long total) {
        this.bar = bar;
        this.listener = listener;
        this.total = total;
    }

    /**
     * A started meter.
     *
     * @param title the bar's title, or null for no bar
     * @param listener may be null
     * @param total items in all, or -1 when unknown
     */
    public static ProgressMeter start(String title, Progress.Listener listener, long total) {
        ProgressMeter m = new ProgressMeter(title == null ? null : newBar(title, total), listener, total);
        synchronized (m) {
            m.report();
        }
        return m;
    }

    /** {@code items} more are done. */
    public synchronized void advance(long items) {
        if (finished || items <= 0) {
            return;
        }
        done += items;
        if (bar != null) {
            bar.stepBy(items);
        }
        report();
    }

    /** The total became known (an imap's input ended). */
    public synchronized void total(long items) {
        if (finished || total == items) {
            return;
        }
        total = items;
        if (bar != null) {
            bar.maxHint(items);
        }
    }

    /** Ends the meter: the listener's last call, the bar closed (its last line drawn). Idempotent. */
    public void finish() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            report();
        }
        if (bar != null) {
            bar.close();
        }
    }

    private void report() {
        if (listener == null) {
            return;
        }
        try {
            listener.onProgress(done, total, finished);
        } catch (Throwable t) {
            System.err.println("ipckit pool: a progress listener threw; ignored:");
            t.printStackTrace();
        }
    }

    private static ProgressBar newBar(String title, long total) {
        Drawing.ready();
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(title).setInitialMax(total >= 0 ? total : -1)
                .showSpeed().setSpeedUnit(ChronoUnit.SECONDS);
        if (total < 0) {
            b.hideEta();
        }
        if (System.console() != null) {
            b.setUpdateIntervalMillis(CONSOLE_REFRESH_MILLIS); // the library's console drawing, on stderr
        } else {
            b.setUpdateIntervalMillis(PLAIN_REFRESH_MILLIS).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new PlainLines(System.err));
        }
        return b.build();
    }

    /**
     * progressbar 0.10 draws every bar from one static scheduled executor whose single thread never ends.
     * Let that thread end when no bar is open (and drop closed bars' tasks at once), so a finished call
     * leaves no thread behind. When the library's internals are not reachable (another version, a module
     * path), the library's behaviour stays: one idle daemon thread named "ProgressBar".
     */
    private static void letDrawingThreadEnd() {
        try {
            Field f = Class.forName("me.tongfei.progressbar.Util").getDeclaredField("executor");
            f.setAccessible(true);
            ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) f.get(null);
            executor.setRemoveOnCancelPolicy(true);
            executor.setKeepAliveTime(500, TimeUnit.MILLISECONDS);
            executor.allowCoreThreadTimeOut(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep the library's own thread handling
        }
    }

    /** Whole lines, no carriage returns or escape sequences, no line twice in a row: for logs and pipes. */
    private static final class PlainLines implements ProgressBarConsumer {
        private final PrintStream out;
        private String last = "";

        PlainLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return PLAIN_WIDTH;
        }

        @Override
        public void accept(String rendered) {
            String line = rendered.replace("\r", "").strip();
            if (!line.equals(last)) {
                last = line;
                out.println(line);
            }
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
