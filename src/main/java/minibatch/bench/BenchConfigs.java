package minibatch.bench;

import java.util.Map;
import minibatch.config.OptimizerConfig;
import minibatch.config.ScheduleConfig;
import minibatch.config.StepMode;
import minibatch.config.TrainingConfig;
import minibatch.data.DataFormat;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;

/** The benchmark's fixed configurations, besides the textbook one. */
final class BenchConfigs {
    private BenchConfigs() {
    }

    /**
     * The configuration that reached test accuracy 0.97 on MNIST in the least wall time in a sweep
     * of the training options (BENCHMARKS.md): 784-128-10 ReLU, He init, Adam (lr 0.004), batch
     * 500, for {@code epochs} epochs. Larger batches make each step's fixed cost buy more rows.
     */
    static TrainingConfig fastest(String data, int epochs, long seed, int partitions) {
        OptimizerConfig adam = new OptimizerConfig(OptimizerConfig.Kind.ADAM, OptimizerConfig.SGD.momentum(),
                OptimizerConfig.SGD.rho(), OptimizerConfig.SGD.beta1(), OptimizerConfig.SGD.beta2(),
                OptimizerConfig.SGD.epsilon());
        return new TrainingConfig(data, DataFormat.AUTO, "unused", null, new int[] {128}, Activation.RELU, Initializer.HE,
                500, 0.004, adam, ScheduleConfig.CONSTANT, 0, epochs, seed, partitions, 10, StepMode.AUTO, false,
                0, 0, 0, 0, 1, 1, false, 30, Map.of(), null);
    }

    /**
     * The configuration that reached test accuracy 0.98 on MNIST in the least wall time in a sweep
     * (BENCHMARKS.md, 2026-12-02): 784-256-10 ReLU, He init, Adam (lr 0.002, cosine decay to 0 over
     * the run), batch 200, for {@code epochs} epochs (the sweep's run had 8 and got there after 6).
     */
    static TrainingConfig fastest98(String data, int epochs, long seed, int partitions) {
        OptimizerConfig adam = new OptimizerConfig(OptimizerConfig.Kind.ADAM, OptimizerConfig.SGD.momentum(),
                OptimizerConfig.SGD.rho(), OptimizerConfig.SGD.beta1(), OptimizerConfig.SGD.beta2(),
                OptimizerConfig.SGD.epsilon());
        return new TrainingConfig(data, DataFormat.AUTO, "unused", null, new int[] {256}, Activation.RELU,
                Initializer.HE, 200, 0.002, adam, new ScheduleConfig(ScheduleConfig.Kind.COSINE,
                ScheduleConfig.CONSTANT.decaySteps(), ScheduleConfig.CONSTANT.decayRate(), 0.0, 0), 0, epochs, seed, partitions, 10,
                StepMode.AUTO, false, 0, 0, 0, 0, 1, 1, false, 30, Map.of(), null);
    }

    /**
     * A large network for the kernels and the driver: 784-1024-1024-10 ReLU, He init, Adam (lr
     * 0.001), batch 100, {@code steps} steps (1,863,690 parameters; its middle layer runs as matrix
     * products of the batch).
     */
    static TrainingConfig large(String data, long steps, long seed, int partitions) {
        OptimizerConfig adam = new OptimizerConfig(OptimizerConfig.Kind.ADAM, OptimizerConfig.SGD.momentum(),
                OptimizerConfig.SGD.rho(), OptimizerConfig.SGD.beta1(), OptimizerConfig.SGD.beta2(),
                OptimizerConfig.SGD.epsilon());
        return new TrainingConfig(data, DataFormat.AUTO, "unused", null, new int[] {1024, 1024}, Activation.RELU,
                Initializer.HE, 100, 0.001, adam, ScheduleConfig.CONSTANT, steps, 0, seed, partitions, 10, StepMode.AUTO,
                false, 0, 0, 0, 0, 1, 1, false, 30, Map.of(), null);
    }

}
