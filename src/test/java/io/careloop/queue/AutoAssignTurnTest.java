package io.careloop.queue;

import io.careloop.accounts.UserService;
import io.careloop.errors.Invalid;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Auto-assignment's turn and setting")
class AutoAssignTurnTest {
  static String next(List<String> eligible, String last) {
    return AutoAssign.next(eligible, last, UserService.ROSTER_ORDER);
  }

  @Test
  @DisplayName("The turn goes to the first agent by name, then to the one after the last, wrapping round")
  void rotation() {
    List<String> agents = List.of("ben", "ana", "cal");
    assertEquals("ana", next(agents, null));
    assertEquals("ben", next(agents, "ana"));
    assertEquals("cal", next(agents, "ben"));
    assertEquals("ana", next(agents, "cal"));
  }

  @Test
  @DisplayName("A last agent who left the rotation (away, at the cap, renamed) hands the turn to the next name after theirs")
  void lastNoLongerThere() {
    assertEquals("cal", next(List.of("ana", "cal"), "ben"));
    assertEquals("ana", next(List.of("ana", "cal"), "dora"));
    assertEquals("ana", next(List.of("ana"), "ana"), "alone, one gets every turn");
  }

  @Test
  @DisplayName("Names are ordered ignoring case, as the agents list shows them")
  void ignoresCase() {
    assertEquals("Bea", next(List.of("ana", "Bea", "cal"), "ana"));
    assertEquals("cal", next(List.of("ana", "Bea", "cal"), "bea"));
  }

  @Test
  @DisplayName("maxOpenPerAgent outside 1..500 is refused naming the field")
  void settingRange() {
    assertEquals(20, AutoAssign.Setting.DEFAULT.maxOpenPerAgent());
    assertFalse(AutoAssign.Setting.DEFAULT.enabled());
    new AutoAssign.Setting(true, 1);
    new AutoAssign.Setting(true, 500);
    Invalid low = assertThrows(Invalid.class, () -> new AutoAssign.Setting(true, 0));
    assertEquals("maxOpenPerAgent", low.details().get("field"));
    assertThrows(Invalid.class, () -> new AutoAssign.Setting(true, 501));
  }
}
