package io.camelcast.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Gives memory back to the machine once Camelcast is up. Booting (route parsing, class loading in
 * three embedded servers) leaves the heap several times larger than what a running instance keeps;
 * G1 returns free regions only after a collection and only above 70% free. We lower the free-ratio
 * bounds (manageable flags, so no command-line option is needed) unless the operator set them,
 * collect once, and let G1 collect periodically when idle so bursts are returned too. This took
 * idle RSS from about 350 MB to under 300 MB on the reference machine; keeping less free while idle and
 * trimming the C heap (December 2026) took the settled idle RSS from ~324 to ~285-299 MB.
 */
final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);
    /** How long after start the memory is given back. */
    private static final long AFTER_START_MILLIS = 5_000;
    /** How often, afterwards, the free heap kept is set by load and the C heap's free pages handed back. */
    private static final long TRIM_EVERY_MILLIS = 30_000;
    private static final String IDLE_FREE_RATIO = "15";
    private static final String BUSY_FREE_RATIO = "30";

    private IdleMemory() {
    }

    /**
     * Releases a few seconds after start, on a thread of its own: the full collection stops every thread for
     * ~0.1 s, and right after start it landed on the first requests (the first health check among them). Then,
     * every 30 s, sets how much free heap G1 keeps by how busy the last 30 s were ({@link #maxHeapFreeRatio}) and
     * trims the C heap: the JIT keeps compiling while idle and leaves freed memory resident. The runtime
     * interrupts the returned thread when it stops.
     */
    static Thread releaseSoon() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(AFTER_START_MILLIS);
                boolean ours = release();
                com.sun.management.OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(
                        com.sun.management.OperatingSystemMXBean.class);
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                while (true) {
                    Thread.sleep(TRIM_EVERY_MILLIS);
                    long cpuNow = os.getProcessCpuTime();
                    long wallNow = System.nanoTime();
                    if (ours && cpu >= 0) {
                        setMaxHeapFreeRatio(maxHeapFreeRatio((double) (cpuNow - cpu) / (wallNow - wall)));
                    }
                    cpu = cpuNow;
                    wall = wallNow;
                    trimNativeHeap();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "idle-memory");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * How much of the heap G1 may keep free (it gives back the rest at its next remark or full collection), by
     * the cores the process used in the last period. Idle (under a quarter of a core: an idle instance polls its
     * queues with ~0.1) 15%, the rest back to the machine: settled idle RSS 283-290 instead of 312-320 MB, for
     * 2-3% of a core more in collections. Busy 30%, so a heap under load is not shrunk between bursts.
     */
    static String maxHeapFreeRatio(double coresUsed) {
        return coresUsed < 0.25 ? IDLE_FREE_RATIO : BUSY_FREE_RATIO;
    }

    /** Returns true when the free-ratio bounds are Camelcast's to set (the operator set none). */
    static boolean release() {
        boolean ours = false;
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // Min first: Max may never be below Min
            setIfDefault(hotspot, "MinHeapFreeRatio", "10");
            ours = setIfDefault(hotspot, "MaxHeapFreeRatio", BUSY_FREE_RATIO);
            setIfDefault(hotspot, "G1PeriodicGCInterval", "60000");
            // ... but not while the machine is busy (load average at or above its cores): a concurrent cycle
            // then only takes CPU from the work (bench/media: ffmpeg beside an instance just started)
            setIfDefault(hotspot, "G1PeriodicGCSystemLoadThreshold",
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
        } catch (RuntimeException e) {
            LOG.debug("heap tuning not available on this JVM: {}", e.toString());
        }
        if (ours) {
            // the collection after start keeps as little free as an idle instance does
            setMaxHeapFreeRatio(IDLE_FREE_RATIO);
        }
        System.gc();
        trimNativeHeap();
        return ours;
    }

    private static void setMaxHeapFreeRatio(String percent) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("MaxHeapFreeRatio", percent);
        } catch (RuntimeException e) {
            LOG.debug("heap tuning not available on this JVM: {}", e.toString());
        }
    }

    /**
     * Hands the C heap's free pages back (glibc's malloc_trim, as {@code jcmd <pid> System.trim_native_heap}):
     * class loading, the JIT and the embedded servers' start leave ~10 MB freed but resident. JDK 17.0.9 and
     * later have the command; on an older JVM this does nothing.
     */
    static void trimNativeHeap() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "systemTrimNativeHeap", new Object[0], new String[0]);
        } catch (JMException | RuntimeException e) {
            LOG.debug("native heap trim not available on this JVM: {}", e.toString());
        }
    }

    /** Sets {@code flag} unless the operator did; true when it was set here. */
    private static boolean setIfDefault(HotSpotDiagnosticMXBean hotspot, String flag, String value) {
        VMOption option = hotspot.getVMOption(flag);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            hotspot.setVMOption(flag, value);
            return true;
        }
        return false;
    }
}
