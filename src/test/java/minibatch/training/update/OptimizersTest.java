package minibatch.training.update;

import minibatch.config.OptimizerConfig.Kind;
import minibatch.config.OptimizerConfig;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Two updates of a 2-parameter example per optimizer, against values computed by hand from the
 * textbook formulas (w = [1, -2], gradients g1 = [0.5, -1] then g2 = [0.25, 0.5], lr = 0.1).
 */
class OptimizersTest {
    private static final double[] G1 = {0.5, -1.0};
    private static final double[] G2 = {0.25, 0.5};
    private static final double LR = 0.1;

    private static double[] twoSteps(Kind kind) {
        Optimizer opt = Optimizers.create(new OptimizerConfig(kind, 0.9, 0.99, 0.9, 0.999, 1e-7), 2);
        double[] w = {1.0, -2.0};
        opt.update(w, G1, LR);
        opt.update(w, G2, LR);
        return w;
    }

    @Test
    void sgd() {
        // w - 0.1*(g1 + g2)
        assertArrayEquals(new double[] {1 - 0.075, -2 + 0.05}, twoSteps(Kind.SGD), 1e-15);
    }

    @Test
    void momentum() {
        // v1 = -0.1*g1 = [-0.05, 0.1]; v2 = 0.9*v1 - 0.1*g2 = [-0.07, 0.04]; w = w0 + v1 + v2
        assertArrayEquals(new double[] {1 - 0.05 - 0.07, -2 + 0.1 + 0.04}, twoSteps(Kind.MOMENTUM), 1e-15);
    }

    @Test
    void nesterov() {
        // w += 0.81*v_old - 1.9*0.1*g
        // step 1: v0 = 0; w += -0.19*g1 = [-0.095, 0.19]; v1 = [-0.05, 0.1]
        // step 2: w += 0.81*v1 - 0.19*g2 = [-0.0405-0.0475, 0.081-0.095]
        double w0 = 1 - 0.095 - 0.0405 - 0.0475;
        double w1 = -2 + 0.19 + 0.081 - 0.095;
        assertArrayEquals(new double[] {w0, w1}, twoSteps(Kind.NESTEROV), 1e-12);
    }

    /**
     * Against Sutskever's form, which takes the gradient at the look-ahead point:
     * {@code v' = μ·v − lr·∇f(θ + μ·v); θ' = θ + v'}. The optimizer keeps {@code w = θ + μ·v}.
     */
    @Test
    void nesterovTracksTheLookAheadPointOfSutskeversForm() {
        double[] curvature = {3.0, 0.5, -0.2};
        double mu = 0.9;
        double lr = 0.05;
        double[] theta = {1.0, -2.0, 0.5};
        double[] v = new double[3];
        double[] w = theta.clone();
        Optimizer opt = Optimizers.create(new OptimizerConfig(Kind.NESTEROV, mu, 0.99, 0.9, 0.999, 1e-7), 3);
        for (int step = 0; step < 20; step++) {
            double[] g = new double[3];
            double[] lookAhead = new double[3];
            for (int i = 0; i < 3; i++) {
                g[i] = curvature[i] * w[i];
                lookAhead[i] = theta[i] + mu * v[i];
            }
            assertArrayEquals(lookAhead, w, 1e-12, "step " + step);
            opt.update(w, g, lr);
            for (int i = 0; i < 3; i++) {
                v[i] = mu * v[i] - lr * curvature[i] * lookAhead[i];
                theta[i] += v[i];
            }
        }
    }

    @Test
    void adagrad() {
        // h1 = [0.25, 1]: w -= 0.1*g1/(sqrt(h1)+eps) = [0.1, -0.1] (eps 1e-7 shifts the 8th digit)
        // h2 = [0.3125, 1.25]: w -= 0.1*g2/sqrt(h2)
        double e = 1e-7;
        double w0 = 1 - 0.1 * 0.5 / (0.5 + e) - 0.1 * 0.25 / (Math.sqrt(0.3125) + e);
        double w1 = -2 + 0.1 * 1 / (1 + e) - 0.1 * 0.5 / (Math.sqrt(1.25) + e);
        assertArrayEquals(new double[] {w0, w1}, twoSteps(Kind.ADAGRAD), 1e-15);
        assertArrayEquals(new double[] {1 - 0.1 - 0.044721, -2 + 0.1 - 0.044721}, twoSteps(Kind.ADAGRAD), 1e-6);
    }

    @Test
    void rmsprop() {
        // h1 = 0.01*g1^2 = [0.0025, 0.01]; step 1 moves each weight by 0.1*sign/0.1 = 1 against g
        // h2 = 0.99*h1 + 0.01*g2^2 = [0.003100, 0.0124]
        double e = 1e-7;
        double h20 = 0.99 * 0.0025 + 0.01 * 0.0625;
        double h21 = 0.99 * 0.01 + 0.01 * 0.25;
        double w0 = 1 - 0.1 * 0.5 / (0.05 + e) - 0.1 * 0.25 / (Math.sqrt(h20) + e);
        double w1 = -2 + 0.1 * 1 / (0.1 + e) - 0.1 * 0.5 / (Math.sqrt(h21) + e);
        assertArrayEquals(new double[] {w0, w1}, twoSteps(Kind.RMSPROP), 1e-12);
    }

    @Test
    void adam() {
        // t=1: m = 0.1*g1, v = 0.001*g1^2, lr_t = 0.1*sqrt(0.001)/0.1 -> w moves by ~lr*sign(g) = 0.1
        double e = 1e-7;
        double lr1 = 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double[] m1 = {0.05, -0.1};
        double[] v1 = {0.001 * 0.25, 0.001 * 1.0};
        double a0 = 1 - lr1 * m1[0] / (Math.sqrt(v1[0]) + e);
        double a1 = -2 - lr1 * m1[1] / (Math.sqrt(v1[1]) + e);
        double lr2 = 0.1 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
        double[] m2 = {m1[0] + 0.1 * (0.25 - m1[0]), m1[1] + 0.1 * (0.5 - m1[1])};
        double[] v2 = {v1[0] + 0.001 * (0.0625 - v1[0]), v1[1] + 0.001 * (0.25 - v1[1])};
        double b0 = a0 - lr2 * m2[0] / (Math.sqrt(v2[0]) + e);
        double b1 = a1 - lr2 * m2[1] / (Math.sqrt(v2[1]) + e);
        assertArrayEquals(new double[] {b0, b1}, twoSteps(Kind.ADAM), 1e-12);
        assertArrayEquals(new double[] {0.9, -1.9}, new double[] {a0, a1}, 1e-5); // the first step is ~lr per weight
    }
}
