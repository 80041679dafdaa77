package io.storagecontroller.optimiser;

import java.util.Comparator;

/**
 * How far a fleet's attachments are from where the optimiser wants them, compared term by term
 * (lower is better): every planned move makes it strictly smaller, which is why passes converge and
 * a balanced fleet plans nothing.
 *
 * @param outsideHomeAz shards attached outside their preferred AZ while a node there could take
 *     them
 * @param onOverloaded shards attached to overloaded nodes
 * @param balance the sum of the squares of each usable node's attached count
 * @param collisions attachments sharing a node with another attachment of the same tenant
 */
public record PlacementScore(long outsideHomeAz, long onOverloaded, long balance, long collisions)
    implements Comparable<PlacementScore> {
  private static final Comparator<PlacementScore> ORDER =
      Comparator.comparingLong(PlacementScore::outsideHomeAz)
          .thenComparingLong(PlacementScore::onOverloaded)
          .thenComparingLong(PlacementScore::balance)
          .thenComparingLong(PlacementScore::collisions);

  @Override
  public int compareTo(PlacementScore other) {
    return ORDER.compare(this, other);
  }
}
