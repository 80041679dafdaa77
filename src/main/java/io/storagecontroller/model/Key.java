package io.storagecontroller.model;

/**
 * A pageserver key, only as far as sharding needs it. Widths follow Neon: field1 and field5 are u8,
 * the rest u32; the u32 fields are longs so that their whole range reads as positive numbers.
 *
 * <p>For relation blocks: field2 = spcNode, field3 = dbNode, field4 = relNode, field5 = fork
 * number, field6 = block number.
 */
public record Key(int field1, long field2, long field3, long field4, int field5, long field6) {
  /** Fork number of a relation's INIT fork (unlogged tables), which always lives on shard 0. */
  public static final int INIT_FORKNUM = 3;

  private static final long U32_MAX = 0xFFFF_FFFFL;

  public Key {
    checkRange("field1", field1, 0xFF);
    checkRange("field2", field2, U32_MAX);
    checkRange("field3", field3, U32_MAX);
    checkRange("field4", field4, U32_MAX);
    checkRange("field5", field5, 0xFF);
    checkRange("field6", field6, U32_MAX);
  }

  /** A block of a relation, as opposed to metadata; block 0xFFFFFFFF is the relation-size key. */
  public boolean isRelBlockKey() {
    return field1 == 0x00 && field4 != 0 && field6 != U32_MAX;
  }

  private static void checkRange(String name, long value, long max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(
          "invalid key: " + name + " = " + value + " is outside 0.." + max);
    }
  }
}
