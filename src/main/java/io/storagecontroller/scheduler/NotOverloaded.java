package io.storagecontroller.scheduler;

/**
 * Avoids nodes at twice their capacity. Only a preference: when every candidate is overloaded one
 * of them is still used, and it outranks AZ and spreading preferences when alternatives exist.
 */
final class NotOverloaded implements NodeFilter {
  @Override
  public boolean admits(SchedulerNode node, ScheduleRequest request) {
    return !node.isOverloaded();
  }
}
