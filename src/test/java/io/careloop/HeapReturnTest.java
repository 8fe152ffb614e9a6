package io.careloop;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HeapReturnTest {
  @Test
  @DisplayName("with G1, an idle process returns heap: periodic collections and a tight free ratio, unless the operator chose")
  void setsTheManageableFlags() {
    assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1")), "G1 only");
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    HeapReturn.apply();
    assertEquals("15000", hotspot.getVMOption("G1PeriodicGCInterval").getValue());
    assertEquals("30", hotspot.getVMOption("MaxHeapFreeRatio").getValue());
    assertEquals("10", hotspot.getVMOption("MinHeapFreeRatio").getValue());
  }
}
