package dev.panoptim.cli;

import dev.panoptim.runtime.Panoptim;
import picocli.CommandLine;

/** {@code panoptim --version}: the Java package version and the native library version. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String java = PanoptimCli.class.getPackage().getImplementationVersion();
        return new String[] {"panoptim " + (java == null ? Panoptim.version() : java) + " (libpanoptim " + Panoptim.version()
                + ", " + Panoptim.simdLevel() + ", Java " + Runtime.version() + ")"};
    }
}
