package io.ipckit.core.test;

import io.ipckit.core.Codec;

import java.util.Base64;
import java.util.Map;

/**
 * Child JVM: {@code <base64 of a codec-encoded handle> <action>}: decodes a shared-object handle made in
 * another JVM and uses it. Actions: {@code map-add-pid} puts "pid-&lt;pid&gt;" -> pid and increments
 * "count" a hundred times with {@code merge}.
 */
public final class HandleChildMain {
    private HandleChildMain() {
    }

    public static String encode(Object handle) {
        return Base64.getEncoder().encodeToString(Codec.defaults().encode(handle));
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = Base64.getDecoder().decode(args[0]);
        Object handle = Codec.defaults().decode(bytes, 0, bytes.length);
        switch (args[1]) {
            case "namespace-inc": {
                io.ipckit.core.SharedNamespace ns = (io.ipckit.core.SharedNamespace) handle;
                ns.set("z", ns.<Integer>get("x") + 1);
                break;
            }
            case "map-add-pid": {
                @SuppressWarnings("unchecked")
                Map<String, Long> map = (Map<String, Long>) handle;
                map.put("pid-" + ProcessHandle.current().pid(), ProcessHandle.current().pid());
                for (int i = 0; i < 100; i++) {
                    map.merge("count", 1L, Long::sum);
                }
                break;
            }
            case "shareable-list": { // item 1 = "pid <its pid>", item 2 doubled; prints item 0
                io.ipckit.core.ShareableList sl = (io.ipckit.core.ShareableList) handle;
                sl.set(1, "pid " + ProcessHandle.current().pid());
                sl.set(2, (Long) sl.get(2) * 2);
                System.out.println("saw " + sl.get(0));
                break;
            }
            default:
                throw new IllegalArgumentException(args[1]);
        }
        System.out.println("done");
    }
}
