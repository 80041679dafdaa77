package io.storagecontroller.http;

import java.beans.PropertyEditorSupport;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Integers in paths and queries are plain decimal, as Rust's parsers read them. Spring's default
 * editors would also take {@code 0x10}, {@code #10} and surrounding spaces, and they are used even
 * when a converter refuses a value, so the editors themselves are replaced.
 */
@ControllerAdvice
public class DecimalIntegers {
  @InitBinder
  void decimalOnly(WebDataBinder binder) {
    binder.registerCustomEditor(Long.class, new Editor(Long.MIN_VALUE, Long.MAX_VALUE, false));
    binder.registerCustomEditor(long.class, new Editor(Long.MIN_VALUE, Long.MAX_VALUE, false));
    binder.registerCustomEditor(
        Integer.class, new Editor(Integer.MIN_VALUE, Integer.MAX_VALUE, true));
    binder.registerCustomEditor(int.class, new Editor(Integer.MIN_VALUE, Integer.MAX_VALUE, true));
  }

  private static final class Editor extends PropertyEditorSupport {
    private final long min;
    private final long max;
    private final boolean intSized;

    Editor(long min, long max, boolean intSized) {
      this.min = min;
      this.max = max;
      this.intSized = intSized;
    }

    @Override
    public void setAsText(String text) {
      if (text == null || text.isEmpty()) {
        setValue(null); // as Spring's own editor: an empty value is an absent one
        return;
      }
      long value;
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a decimal integer in range", e);
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("out of range");
      }
      setValue(intSized ? Integer.valueOf((int) value) : Long.valueOf(value));
    }
  }
}
