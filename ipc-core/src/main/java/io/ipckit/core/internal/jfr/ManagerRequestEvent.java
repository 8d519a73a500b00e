package io.ipckit.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A call on a manager object that took longer than the threshold (10 ms by default; set
 * {@code io.ipckit.ManagerRequest#threshold} in a recording's settings): a lock or semaphore waited on,
 * a slow manager, a large value. Recorded by the calling thread; free when no recording is on (JFR's own
 * events work the same way).
 */
@Name("io.ipckit.ManagerRequest")
@Label("Manager Request")
@Category({"ipckit", "Manager"})
@Description("A call on a manager's object, from the calling process")
@Threshold("10 ms")
@StackTrace(true)
public final class ManagerRequestEvent extends jdk.jfr.Event {
    @Label("Manager space")
    public String space;
    @Label("Object")
    public String object;
    @Label("Operation")
    public String operation;
    @Label("Failed")
    public boolean failed;
}
