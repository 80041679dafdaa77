package io.storagecontroller.auth;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of everything this JVM prints to standard output and error from the moment it is
 * installed (the console is where the service logs; Logback looks {@code System.out} up on every
 * write, so the copy sees every later log line, whichever context configured logging).
 */
final class ConsoleCapture {
  private static final int LIMIT = 64 * 1024 * 1024;
  private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();

  static {
    System.setOut(tee(System.out));
    System.setErr(tee(System.err));
  }

  private ConsoleCapture() {}

  /** Installs the capture (once per JVM); from then on {@link #text()} grows. */
  static void install() {
    // The static initializer did the work.
  }

  static String text() {
    synchronized (COPY) {
      return COPY.toString(StandardCharsets.UTF_8);
    }
  }

  private static PrintStream tee(PrintStream original) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (COPY) {
              if (COPY.size() < LIMIT) {
                COPY.write(b);
              }
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (COPY) {
              if (COPY.size() < LIMIT) {
                COPY.write(b, off, len);
              }
            }
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    return new PrintStream(both, true, StandardCharsets.UTF_8);
  }
}
