package io.careloop;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Gives heap the process no longer needs back to the operating system. Start-up and bursts read many documents (the
 * embedded server reads whole collections), and by default the JVM keeps the heap it grew for that: a quarter of
 * the machine's memory at most, gigabytes for a process whose live data is a few hundred megabytes. With G1, an idle
 * process now runs a concurrent collection every 15 s and shrinks the heap to 30% above what is live, and one full
 * collection follows the reads after a start. Only flags the operator left at their defaults are changed (all three
 * are "manageable", settable while running).
 */
final class HeapReturn {
  private static final Logger log = LoggerFactory.getLogger(HeapReturn.class);
  private static final Map<String, String> FLAGS = Map.of("G1PeriodicGCInterval", "15000", "MaxHeapFreeRatio", "30", "MinHeapFreeRatio", "10");

  private HeapReturn() {}

  /**
   * Once the reads after a start are over, one full collection: what they allocated is garbage, and the heap shrinks
   * to what is live at once rather than over several idle periods. A single pause, before users are busy.
   */
  static void afterStartup(java.util.function.BooleanSupplier readsDone) {
    Thread trim = new Thread(() -> {
      try {
        for (int i = 0; i < 600 && !readsDone.getAsBoolean(); i++) Thread.sleep(1000);
        System.gc();
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    }, "careloop-heap-return");
    trim.setDaemon(true);
    trim.start();
  }

  static void apply() {
    try {
      boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1"));
      if (!g1) return;
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      // MinHeapFreeRatio may not exceed MaxHeapFreeRatio at any moment: lower the minimum first.
      for (String flag : new String[] {"MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval"}) {
        VMOption option = hotspot.getVMOption(flag);
        if (option.getOrigin() == VMOption.Origin.DEFAULT) hotspot.setVMOption(flag, FLAGS.get(flag));
      }
    } catch (RuntimeException e) {
      log.info("Heap return to the OS not set up: the JVM keeps its defaults", e);
    }
  }
}
