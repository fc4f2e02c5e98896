package dev.panoptim.cli;

import picocli.CommandLine.Command;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code panoptim classpath}: the runtime classpath (absolute paths), for compiling and running other
 * JVM code against panoptim: {@code javac -cp "$(bin/panoptim classpath)" My.java}.
 */
@Command(name = "classpath", mixinStandardHelpOptions = true,
        description = "Print the runtime classpath, to compile and run your own code against panoptim.")
final class ClasspathCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
        System.out.println(cp);
        return 0;
    }
}
