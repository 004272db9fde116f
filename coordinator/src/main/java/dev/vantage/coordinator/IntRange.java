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

/**
 * The range of a whole-number key of {@link CoordinatorConfig}, checked when the configuration is read: the
 * coordinator does not start with a value outside it, and says {@code vantage.dispatch.batch-size is 0, allowed 1
 * to 10000}.
 */
@Documented
@Constraint(validatedBy = IntRange.Check.class)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface IntRange {
    long min();

    long max();

    String message() default "is out of range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks an {@code int} or {@code long} against its range. */
    class Check implements ConstraintValidator<IntRange, Number> {
        private long min;
        private long max;

        @Override
        public void initialize(IntRange range) {
            this.min = range.min();
            this.max = range.max();
        }

        @Override
        public boolean isValid(Number value, ConstraintValidatorContext context) {
            return value == null || DurationRange.Check.report(ConfigRange.violation(value.longValue(), min, max), context);
        }
    }
}
