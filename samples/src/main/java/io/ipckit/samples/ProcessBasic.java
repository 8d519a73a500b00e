package io.ipckit.samples;

import io.ipckit.pool.Process;

import java.util.ArrayList;
import java.util.List;

/**
 * Seed: ten {@code multiprocessing.Process(target=run, args=("bob",))} started, then joined; each
 * sleeps a second and prints its pid and its parent's pid (this JVM's).
 */
public final class ProcessBasic {
    private ProcessBasic() {
    }

    static void run(String name, long sleepMillis) {
        Pace.sleep(sleepMillis);
        System.out.println("hello " + name + " run in " + Pace.pid() + " ppid: " + Pace.ppid());
    }

    public static void main(String[] args) throws Exception {
        long sleep = Pace.ms(1_000);
        System.out.println("main process " + Pace.pid());
        List<Process> obj = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Process p = Process.of(name -> run(name, sleep), "bob");
            obj.add(p);
            p.start();
        }
        long start = System.nanoTime();
        for (Process p : obj) {
            p.join();
        }
        System.out.println("run in main");
        System.out.println("spend time: " + Pace.since(start) + " s");
    }
}
