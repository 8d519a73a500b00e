package io.ipckit.samples.cli;

import io.ipckit.cluster.ClusterAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ipckit cluster-address NAME HOST:PORT,...}: a new cluster address, with a fresh random token. */
@Command(name = "cluster-address", mixinStandardHelpOptions = true,
        description = {"Prints a new cluster address with a fresh random token: the secret every node and client "
                + "of the cluster needs (keep it as you keep a password).",
                "  ipckit cluster-address demo 10.0.0.1:5701,10.0.0.2:5701"})
final class ClusterAddressCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster's name")
    String name;

    @Parameters(index = "1", paramLabel = "HOST:PORT,...", description = "the nodes' hosts and ports")
    String members;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String token = ClusterAddress.newToken();
        ClusterAddress a;
        try {
            a = ClusterAddress.parse(ClusterAddress.SCHEME + name + "@" + members + "#" + token);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().println(a);
        return 0;
    }
}
