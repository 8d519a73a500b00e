package io.ipckit.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A put, get or join on a shared queue that blocked longer than the threshold (20 ms by default; set
 * {@code io.ipckit.QueueWait#threshold} in a recording's settings): a consumer starved, a bounded queue
 * full. Recorded by the waiting thread; free when no recording is on.
 */
@Name("io.ipckit.QueueWait")
@Label("Queue Wait")
@Category({"ipckit", "Queue"})
@Description("A blocking put, get or join on a shared queue")
@Threshold("20 ms")
@StackTrace(true)
public final class QueueWaitEvent extends jdk.jfr.Event {
    @Label("Queue")
    public String queue;
    @Label("Operation")
    public String operation;
    @Label("Done")
    public boolean done;
}
