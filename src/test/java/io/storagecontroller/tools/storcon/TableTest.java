package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@link Table} draws what comfy_table's {@code Table::new()} draws (Neon's storcon_cli tables);
 * the expected texts follow comfy_table's own tests (tests/all/simple_test.rs).
 */
class TableTest {
  static String printed(Table table) {
    StringWriter text = new StringWriter();
    table.print(new PrintWriter(text));
    return text.toString();
  }

  @Test
  void aHeaderAndTwoRowsWithACellWiderThanItsHeader() {
    Table table = new Table("Id", "Hostname").row(1, "localhost").row(22, "h");
    assertThat(printed(table))
        .isEqualTo(
            """
            +----+-----------+
            | Id | Hostname  |
            +================+
            | 1  | localhost |
            |----+-----------|
            | 22 | h         |
            +----+-----------+
            """);
  }

  @Test
  void comfyTablesOwnSimpleTable() {
    Table table =
        new Table("Header1", "Header2", "Header3")
            .row("This is a text", "This is another text", "This is the third text")
            .row("This is another text", "Now\nadd some\nmulti line stuff", "This is awesome");
    assertThat(printed(table))
        .isEqualTo(
            """
            +----------------------+----------------------+------------------------+
            | Header1              | Header2              | Header3                |
            +======================================================================+
            | This is a text       | This is another text | This is the third text |
            |----------------------+----------------------+------------------------|
            | This is another text | Now                  | This is awesome        |
            |                      | add some             |                        |
            |                      | multi line stuff     |                        |
            +----------------------+----------------------+------------------------+
            """);
  }

  @Test
  void withoutHeaderThereIsNoHeaderLineAndEmptyCellsAreOneWide() {
    Table table = Table.withoutHeader(3).row("Policy", "Attached(1)", null).row("Config", "{}", "");
    assertThat(printed(table))
        .isEqualTo(
            """
            +--------+-------------+---+
            | Policy | Attached(1) |   |
            |--------+-------------+---|
            | Config | {}          |   |
            +--------+-------------+---+
            """);
  }

  @Test
  void aHeaderWithoutRowsIsFourLines() {
    assertThat(new Table("Id", "AZ").lines())
        .containsExactly("+----+----+", "| Id | AZ |", "+=========+", "+----+----+");
  }

  @Test
  void aRowMustFillEveryColumn() {
    assertThatThrownBy(() -> new Table("Id", "AZ").row(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
