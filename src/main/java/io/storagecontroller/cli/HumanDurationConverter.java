package io.storagecontroller.cli;

import io.storagecontroller.model.HumanDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way Neon's flags take them ({@code 30s}, {@code 5m}, {@code 1h 30m}). */
public final class HumanDurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return HumanDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
