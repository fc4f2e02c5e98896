package dev.panoptim.bindings;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.bindings.c.pt_step_extras;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The checked-in bindings must match native/include/panoptim.h: every function, arity and types. */
class PanoptimHeaderBindingsTest {
    private static final Pattern DECL = Pattern.compile("PT_API\\s+([^;(]*?)\\s*\\b(\\w+)\\s*\\(([^;]*?)\\)\\s*;", Pattern.DOTALL);
    private static final Pattern ENUM = Pattern.compile("\\b(PT_[A-Z0-9_]+)\\s*=\\s*(\\d+)");

    static Path header() {
        return Path.of(System.getProperty("panoptim.root", "..")).resolve("native/include/panoptim.h");
    }

    /** name -> [return layout, parameter layouts...] as the C types map under jextract's rules. */
    static Map<String, List<MemoryLayout>> declaredFunctions(String text) {
        String noComments = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        Map<String, List<MemoryLayout>> out = new LinkedHashMap<>();
        Matcher m = DECL.matcher(noComments);
        while (m.find()) {
            List<MemoryLayout> layouts = new ArrayList<>();
            layouts.add(layoutOf(m.group(1)));
            String params = m.group(3).trim();
            if (!params.equals("void") && !params.isEmpty()) {
                for (String p : params.split(",")) {
                    String type = p.trim().replaceAll("\\w+$", "");
                    layouts.add(layoutOf(type));
                }
            }
            out.put(m.group(2), layouts);
        }
        return out;
    }

    static MemoryLayout layoutOf(String cType) {
        String t = cType.replace("const", "").trim();
        if (t.contains("*")) return ValueLayout.ADDRESS;
        return switch (t) {
            case "void" -> null;
            case "int" -> ValueLayout.JAVA_INT;
            case "int64_t" -> ValueLayout.JAVA_LONG;
            case "double" -> ValueLayout.JAVA_DOUBLE;
            case "float" -> ValueLayout.JAVA_FLOAT;
            default -> throw new AssertionError("the test does not know C type '" + t + "'; extend layoutOf");
        };
    }

    private static MemoryLayout plain(MemoryLayout l) {
        // jextract's C_POINTER carries a target layout; compare the carrier only.
        return l instanceof java.lang.foreign.AddressLayout ? ValueLayout.ADDRESS : l.withoutName();
    }

    @Test
    void everyHeaderFunctionHasABindingWithTheSameSignature() throws Exception {
        Map<String, List<MemoryLayout>> declared = declaredFunctions(Files.readString(header()));
        assertFalse(declared.isEmpty(), "no PT_API functions parsed from " + header());
        for (Map.Entry<String, List<MemoryLayout>> e : declared.entrySet()) {
            String name = e.getKey();
            FunctionDescriptor d;
            try {
                d = (FunctionDescriptor) panoptim_h.class.getMethod(name + "$descriptor").invoke(null);
            } catch (NoSuchMethodException ex) {
                fail("header function " + name + " has no binding in panoptim_h; run bindings/jextract.sh or add it");
                return;
            }
            List<MemoryLayout> expected = e.getValue();
            MemoryLayout ret = d.returnLayout().map(PanoptimHeaderBindingsTest::plain).orElse(null);
            assertEquals(expected.get(0), ret, name + ": return type");
            List<MemoryLayout> args = d.argumentLayouts().stream().map(PanoptimHeaderBindingsTest::plain).toList();
            assertEquals(expected.size() - 1, args.size(), name + ": arity");
            assertEquals(expected.subList(1, expected.size()), args, name + ": parameter types");
            assertNotNull(panoptim_h.class.getMethod(name + "$handle").invoke(null), name + ": handle");
        }
    }

    @Test
    void noBindingWithoutAHeaderFunction() throws Exception {
        Map<String, List<MemoryLayout>> declared = declaredFunctions(Files.readString(header()));
        for (var m : panoptim_h.class.getMethods()) {
            if (m.getName().endsWith("$descriptor")) {
                String fn = m.getName().substring(0, m.getName().length() - "$descriptor".length());
                if (!declared.containsKey(fn)) fail("binding " + fn + " has no declaration in panoptim.h");
            }
        }
    }

    @Test
    void enumConstantsMatchTheHeader() throws Exception {
        Matcher m = ENUM.matcher(Files.readString(header()));
        int seen = 0;
        while (m.find()) {
            int value = (int) panoptim_h.class.getMethod(m.group(1)).invoke(null);
            assertEquals(Integer.parseInt(m.group(2)), value, m.group(1));
            seen++;
        }
        assertEquals(19, seen, "status, device, copy kind, CUDA backend, CPU conv backend and dtype constants parsed from the header");
    }

    @Test
    void stepExtrasStructHasTheCLayout() {
        // struct pt_step_extras: four pointers, two int32, one pointer (x86-64 / aarch64 LP64).
        assertEquals(48, pt_step_extras.sizeof());
        assertEquals(0, pt_step_extras.lr$offset());
        assertEquals(8, pt_step_extras.steps$offset());
        assertEquals(16, pt_step_extras.grad_scale$offset());
        assertEquals(24, pt_step_extras.found_inf$offset());
        assertEquals(32, pt_step_extras.grad_dtype$offset());
        assertEquals(36, pt_step_extras.reserved$offset());
        assertEquals(40, pt_step_extras.params_bf16$offset());
        String header = assertDoesNotThrow(() -> Files.readString(header()));
        for (String field : List.of("const float *lr;", "float *steps;", "const float *grad_scale;",
                "const float *found_inf;", "int32_t grad_dtype;", "int32_t reserved;", "void *const *params_bf16;")) {
            assertTrue(header.contains(field), "panoptim.h no longer declares pt_step_extras field '" + field + "'");
        }
    }
}
