package minibatch.training.update;

import minibatch.config.ScheduleConfig;

/**
 * The learning rate of every step (1-based): the base rate shaped by constant, step, exponential
 * or cosine decay, times a linear warm-up factor {@code step / warmupSteps} during warm-up.
 */
public final class LearningRateSchedule {
    private final double base;
    private final ScheduleConfig config;
    private final long totalSteps;

    public LearningRateSchedule(double base, ScheduleConfig config, long totalSteps) {
        this.base = base;
        this.config = config;
        this.totalSteps = totalSteps;
    }

    public double rate(long step) {
        long t = step - 1; // steps done before this one
        double rate = switch (config.kind()) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(config.decayRate(), Math.floor((double) t / config.decaySteps()));
            case EXPONENTIAL -> base * Math.pow(config.decayRate(), (double) t / config.decaySteps());
            case COSINE -> config.minRate()
                    + (base - config.minRate()) * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, totalSteps) / totalSteps));
        };
        if (step <= config.warmupSteps()) {
            rate *= (double) step / config.warmupSteps();
        }
        return rate;
    }
}
