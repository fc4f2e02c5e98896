package dev.panoptim.landscape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A name with options, as the CLI takes them: {@code name} or {@code name:key=value,key=value}. A
 * value may hold a parenthesized pair, whose comma does not split: {@code adam:betas=(0.99,0.99)}.
 * Names are lower-cased; keys and values are kept as written.
 *
 * <pre>{@code Spec s = Spec.parse("sgd:lr=0.03,momentum=0.99", "optimizer");  // s.name() is "sgd"}</pre>
 *
 * @param text    the spec as given
 * @param name    the name, lower-case
 * @param options key to value text, in the order given
 */
record Spec(String text, String name, Map<String, String> options) {
    Spec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses {@code name[:key=value,...]}; {@code what} names the kind of thing in messages. */
    static Spec parse(String text, String what) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty " + what + " (expected NAME or NAME:KEY=VALUE,...)");
        String t = text.strip();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) throw new IllegalArgumentException("malformed " + what + " '" + text + "': the name is missing before ':'");
        Map<String, String> options = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String part : splitTopLevel(t.substring(colon + 1), text, what)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? "" : part.substring(0, eq).strip();
                String value = eq < 0 ? "" : part.substring(eq + 1).strip();
                if (key.isEmpty() || value.isEmpty()) {
                    throw new IllegalArgumentException("malformed " + what + " option '" + part.strip() + "' in '" + text
                            + "' (expected KEY=VALUE, e.g. sgd:lr=0.03,momentum=0.99)");
                }
                if (options.put(key, value) != null) {
                    throw new IllegalArgumentException("option '" + key + "' is given twice in " + what + " '" + text + "'");
                }
            }
        }
        return new Spec(text, name, options);
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTopLevel(String s, String text, String what) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) {
                throw new IllegalArgumentException("malformed " + what + " '" + text + "': unbalanced parentheses");
            }
            else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) throw new IllegalArgumentException("malformed " + what + " '" + text + "': unbalanced parentheses");
        parts.add(s.substring(start));
        return parts;
    }

    /** A finite number, or an exception naming the key and the spec. */
    static double number(String key, String value, String text) {
        try {
            double d = Double.parseDouble(value);
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " in '" + text + "': '" + value + "' is not a finite number");
    }
}
