package dev.vantage.coordinator;

import dev.vantage.config.ConfigRange;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

/**
 * The range of a duration key of {@link CoordinatorConfig}, both bounds included, written as the configuration
 * takes durations ({@code 10ms}, {@code 30s}, {@code 7d}); checked when the configuration is read: the
 * coordinator does not start with a value outside it, and says {@code vantage.ingest.retry-backoff is 0s, allowed
 * 10ms to 30s}.
 */
@Documented
@Constraint(validatedBy = DurationRange.Check.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface DurationRange {
    String min();

    String max();

    String message() default "is out of range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks a {@link Duration} against its range. */
    class Check implements ConstraintValidator<DurationRange, Duration> {
        private Duration min;
        private Duration max;

        @Override
        public void initialize(DurationRange range) {
            this.min = ConfigRange.duration(range.min());
            this.max = ConfigRange.duration(range.max());
        }

        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value == null || report(ConfigRange.violation(value, min, max), context);
        }

        /** True when there is no violation; otherwise the violation becomes the message, after the key. */
        static boolean report(String violation, ConstraintValidatorContext context) {
            if (violation == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // a message template: braces, '$' and '\' would be read as parameters and expressions
            context.buildConstraintViolationWithTemplate(violation.replaceAll("([\\\\{}$])", "\\\\$1"))
                    .addConstraintViolation();
            return false;
        }
    }
}
