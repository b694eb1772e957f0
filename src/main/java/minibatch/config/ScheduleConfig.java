package minibatch.config;

import minibatch.Names;

/**
 * The learning-rate schedule, applied to the base {@code --learning-rate}.
 *
 * @param decaySteps  steps per decay period (step and exponential decay)
 * @param decayRate   factor per period (step and exponential decay)
 * @param minRate     the rate cosine decay ends at
 * @param warmupSteps steps of linear warm-up from lr/warmup to lr (0 = none)
 */
public record ScheduleConfig(Kind kind, long decaySteps, double decayRate, double minRate, long warmupSteps) {
    public enum Kind {
        CONSTANT, STEP, EXPONENTIAL, COSINE;

        public static Kind parse(String name) {
            return Names.parse(Kind.class, name, "schedule");
        }

        public String id() {
            return Names.id(this);
        }
    }

    public static final ScheduleConfig CONSTANT = new ScheduleConfig(Kind.CONSTANT, 1000, 0.5, 0.0, 0);

    public ScheduleConfig {
        OptimizerConfig.check(kind != null, "--lr-schedule is required");
        OptimizerConfig.check(decaySteps > 0, "--lr-decay-steps must be > 0 (got " + decaySteps + ")");
        OptimizerConfig.check(decayRate > 0 && decayRate <= 1, "--lr-decay-rate must be in (0, 1] (got " + decayRate + ")");
        OptimizerConfig.check(minRate >= 0 && Double.isFinite(minRate), "--lr-min must be >= 0 (got " + minRate + ")");
        OptimizerConfig.check(warmupSteps >= 0, "--warmup-steps must be >= 0 (got " + warmupSteps + ")");
    }
}
