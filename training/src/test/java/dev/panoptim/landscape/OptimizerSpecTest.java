package dev.panoptim.landscape;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerSpecTest {
    @Test
    void parsesNamesOptionsAndLabels() {
        assertEquals("SGD(lr=0.03, momentum=0.99)", OptimizerSpec.parse("sgd:lr=0.03,momentum=0.99").label());
        assertEquals("Adam(lr=0.2, betas=(0.99, 0.99), weight_decay=0.005)",
                OptimizerSpec.parse("adam:lr=0.2,betas=(0.99,0.99),weight_decay=0.005").label());
        assertEquals("RMSprop(centered=true)", OptimizerSpec.parse("RMSprop:centered=true").label());
        assertEquals("AdamW()", OptimizerSpec.parse("adamw").label());
        List<String> labels = OptimizerSpec.defaultComparison().stream().map(OptimizerSpec::label).toList();
        assertEquals(List.of("SGD(lr=0.03, momentum=0.99)", "RMSprop(lr=0.02, alpha=0.99, momentum=0.8)",
                "Adam(lr=0.2, betas=(0.99, 0.99), weight_decay=0.005)", "AdamW(lr=0.2, betas=(0.99, 0.99), weight_decay=0.005)"), labels);
    }

    @Test
    void flagsAreDefaultsThatTheSpecOverrides() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("lr", 0.5);
        flags.put("momentum", 0.9);
        assertEquals("SGD(lr=0.1, momentum=0.9)", OptimizerSpec.parse("sgd:lr=0.1", flags).label());
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.parse("adam", flags));
        assertTrue(e.getMessage().startsWith("--momentum does not apply to adam") && e.getMessage().contains("valid: lr, betas"),
                e.getMessage());
    }

    @Test
    void factoryBuildsTheSpecifiedOptimizer() {
        OptimizerSpec spec = OptimizerSpec.parse("sgd:lr=0.02,momentum=0.99");
        Trajectory t = Landscapes.optimize(LossSurface.pathological(), new double[] {2.5, 2.5}, spec.factory(), 100);
        assertEquals(0.8110, t.points().get(99).x(), 1e-3);
        assertEquals(-6.3344, t.points().get(99).y(), 1e-3);
    }

    @Test
    void errorsNameTheProblemAndTheValidChoices() {
        assertMessage("unknown optimizer 'lamb' (valid: sgd, rmsprop, adam, adamw", "lamb:lr=1");
        assertMessage("unknown option 'beta1'", "adam:beta1=0.9");
        assertMessage("valid: lr, betas, eps, weight_decay, amsgrad, maximize", "adam:beta1=0.9");
        assertMessage("expected KEY=VALUE", "sgd:lr0.1");
        assertMessage("'fast' is not a finite number", "sgd:lr=fast");
        assertMessage("is not a pair (a,b)", "adam:betas=(0.9)");
        assertMessage("unbalanced parentheses", "adam:betas=(0.9,0.99");
        assertMessage("option 'lr' is required", "sgd");
        assertMessage("invalid lr value -1.0", "sgd:lr=-1");
        assertMessage("given twice", "sgd:lr=1,lr=2");
        assertMessage("must be a boolean", "sgd:lr=1,nesterov=1");
        assertMessage("the name is missing", ":lr=1");
    }

    private static void assertMessage(String expected, String spec) {
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), "'" + spec + "' gave: " + e.getMessage());
    }
}
