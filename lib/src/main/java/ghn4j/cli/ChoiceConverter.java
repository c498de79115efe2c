package ghn4j.cli;

import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a closed choice (an enum with ppuda's names) from the command line, case-insensitively; a
 * bad name is a usage error (exit 2) whose message lists the allowed names, as the enum's own
 * {@code parse} words it. Each option gets a one-line subclass, since picocli instantiates
 * converters by class.
 */
abstract class ChoiceConverter<T> implements ITypeConverter<T> {

  private final Function<String, T> parse;

  ChoiceConverter(Function<String, T> parse) {
    this.parse = parse;
  }

  @Override
  public T convert(String value) {
    try {
      return parse.apply(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
