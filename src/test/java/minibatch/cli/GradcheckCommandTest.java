package minibatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import minibatch.nn.GradientCheck;
import minibatch.testing.CliRun;
import minibatch.testing.IdxFixtures;
import minibatch.testing.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradcheckCommandTest {
    private record Result(int status, String out) {
    }

    private static Result run(GradcheckCommand command, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(command).execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void passesForEveryActivationAndShowsTheStepFunctionsZeroGradient() {
        Result r = run(new GradcheckCommand());
        assertEquals(0, r.status(), r.out());
        for (String act : new String[] {"sigmoid", "relu", "tanh", "step"}) {
            assertTrue(r.out().contains("random network [20, 10, 8, 5] " + act), r.out());
        }
        assertTrue(r.out().contains("backprop gradient is exactly 0 for W1, b1, W2, b2: these parameters cannot learn"), r.out());
        assertTrue(r.out().strip().endsWith("gradcheck: ok"), r.out());
    }

    @Test
    @ExtendWith(LocalSpark.class)
    void checksASavedModelOnRealRows(@TempDir Path dir, SparkSession spark) throws IOException {
        Path data = IdxFixtures.syntheticMnist(dir.resolve("data"), 200, 30, 4);
        Path out = dir.resolve("run");
        int trained = Main.execute(System.err, "train", "--data", data.toString(), "--out", out.toString(), "--master",
                "local[2]", "--hidden", "6", "--classes", "4", "--batch-size", "20", "--steps", "20");
        assertEquals(0, trained);
        Result r = run(new GradcheckCommand(), "--model", out.resolve("model").toString(), "--data", data.toString(),
                "--rows", "5");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("model " + out.resolve("model") + " [64, 6, 4] sigmoid, 5 rows"), r.out());
        assertTrue(r.out().strip().endsWith("gradcheck: ok"), r.out());
    }

    @Test
    void failsOnADeliberatelyWrongGradient() {
        GradcheckCommand command = new GradcheckCommand();
        command.gradient = shape -> {
            GradientCheck.GradientFunction correct = GradientCheck.backprop(shape);
            return (p, x, label, grad) -> {
                correct.accumulate(p, x, label, grad);
                grad[0] *= 1.001; // a 0.1% error in one weight's gradient
            };
        };
        Result r = run(command, "--activation", "sigmoid");
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("<-- above threshold"), r.out());
        assertTrue(r.out().strip().endsWith("gradcheck: FAILED (relative error above 1.0E-6)"), r.out());
    }

    @Test
    void checksARandomLayerNetworkOnSmallImages() {
        CliRun r = CliRun.of("gradcheck", "--layers", "conv3x3x4,relu,maxpool2");
        assertEquals(0, r.status(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("random layer network 8x8x2 conv3x3x4 relu maxpool2 dense5 softmax, 8 rows"), r.stdout());
        for (String block : new String[] {"W1", "b1", "W2", "b2"}) {
            assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("  " + block + " ")), block + " in " + r.stdout());
        }
        assertFalse(r.stdout().contains("W3"), r.stdout());
        assertTrue(r.stdout().strip().endsWith("gradcheck: ok"), r.stdout());
    }

    @Test
    void checksStridesPaddingAndAnotherImage() {
        CliRun r = CliRun.of("gradcheck", "--layers", "Conv3x3x4s2p1, tanh, conv2x2x3, relu, dense6, sigmoid", "--image", "9x7x3",
                "--classes", "3", "--rows", "4");
        assertEquals(0, r.status(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("random layer network 9x7x3 conv3x3x4s2p1 tanh conv2x2x3 relu dense6 sigmoid dense3 softmax, 4 rows"),
                r.stdout());
        assertTrue(r.stdout().strip().endsWith("gradcheck: ok"), r.stdout());
    }

    @Test
    void aBadLayerSpecOrImageIsOneErrorLine() {
        CliRun.of("gradcheck", "--layers", "conv3x3x4,relu,maxpol2").assertOneError("error: --layers: layer 3 'maxpol2': expected "
                + "conv<K>x<K>x<C>[s<S>][p<P>], maxpool<K>[s<S>], dense<N>, dropout<P>, sigmoid, relu, tanh or step");
        CliRun.of("gradcheck", "--layers", "conv9x9x4").assertOneError(
                "error: --layers: layer 1 'conv9x9x4': its input is 8x8x2, smaller than the 9x9 kernel");
        CliRun.of("gradcheck", "--layers", "relu", "--image", "8x8").assertOneError(
                "error: --image: expected <H>x<W>x<C>, e.g. 28x28x1, not '8x8'");
    }
}
