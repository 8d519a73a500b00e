package io.ipckit.samples;

import io.ipckit.pool.Process;

/**
 * Seed: a subclass of {@code multiprocessing.Process} that overrides {@code run()}. The object (its
 * fields) travels to the child JVM, which calls {@code run()}.
 */
public final class ProcessSubclass {
    private ProcessSubclass() {
    }

    /** Python's {@code class myProcess(multiprocessing.Process)}: a static nested class with encodable fields. */
    public static final class MyProcess extends Process {
        private static final long serialVersionUID = 1L;
        private final String greeting;

        public MyProcess(String greeting) {
            this.greeting = greeting;
        }

        @Override
        public void run() {
            System.out.println(greeting + " (" + name() + ", pid " + Pace.pid() + ", ppid " + Pace.ppid() + ")");
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("main process " + Pace.pid());
        MyProcess p = new MyProcess("run in myProcess");
        p.start();
        p.join();
        System.out.println("myProcess exited with " + p.exitCode());
    }
}
