package dev.panoptim.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trial's command line from the sweep's {@code command} (default {@code ${env} ${interpreter} ${program} ${args}},
 * as W&amp;B's), with W&amp;B's macros: {@code ${env}} is /usr/bin/env, {@code ${interpreter}} python3 for a .py
 * program (nothing otherwise), {@code ${program}}, {@code ${args}} one {@code --key=value} per parameter,
 * {@code ${args_no_hyphens}} {@code key=value}, {@code ${args_json}} one JSON object, {@code ${project}}.
 * Nested parameters' values are written as JSON.
 *
 * <pre>{@code List<String> argv = TrialCommand.build(config, Map.of("lr", 0.01), "course");}</pre>
 */
final class TrialCommand {
    static final List<String> DEFAULT = List.of("${env}", "${interpreter}", "${program}", "${args}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrialCommand() {}

    static List<String> build(SweepConfig config, Map<String, Object> values, String project) {
        List<String> out = new ArrayList<>();
        for (String part : config.command() == null ? DEFAULT : config.command()) {
            switch (part) {
                case "${env}" -> out.add("/usr/bin/env");
                case "${interpreter}" -> {
                    if (config.program() != null && config.program().toLowerCase(Locale.ROOT).endsWith(".py")) out.add("python3");
                }
                case "${program}" -> {
                    if (config.program() == null) throw new IllegalArgumentException("the sweep's command uses ${program} but it has no program");
                    out.add(config.program());
                }
                case "${args}" -> values.forEach((k, v) -> out.add("--" + k + "=" + text(v)));
                case "${args_no_hyphens}" -> values.forEach((k, v) -> out.add(k + "=" + text(v)));
                case "${args_json}" -> out.add(json(values));
                case "${project}" -> out.add(project);
                case "${entity}" -> { }
                default -> out.add(part);
            }
        }
        return out;
    }

    static String text(Object v) {
        return v instanceof String s ? s : json(v);
    }

    static String json(Object v) {
        try {
            return MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + v + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
