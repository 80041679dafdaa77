package io.storagecontroller.tools.storcon;

import java.io.PrintWriter;

/** Entry point of {@code bin/storcon} (the controller's jar, another main class). */
public final class StorconMain {
  private StorconMain() {}

  public static void main(String[] args) {
    int status =
        StorconCommand.commandLine(
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                Terminal.detect(System.getenv()))
            .execute(args);
    System.exit(status);
  }
}
