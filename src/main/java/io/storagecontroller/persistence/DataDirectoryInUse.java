package io.storagecontroller.persistence;

import io.storagecontroller.config.StartRefused;
import java.nio.file.Path;

/** Start-up refused: a running controller already uses this embedded database's directory. */
public class DataDirectoryInUse extends StartRefused {
  public DataDirectoryInUse(Path dataDir) {
    super("another storage_controller is running on the data directory " + dataDir);
  }

  @Override
  public String action() {
    return "Stop the running controller first, or give this one its own --data-dir.";
  }
}
