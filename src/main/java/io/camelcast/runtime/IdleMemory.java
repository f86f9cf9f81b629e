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
 * idle RSS from about 350 MB to under 300 MB on the reference machine.
 */
final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);
    /** How long after start the memory is given back. */
    private static final long AFTER_START_MILLIS = 5_000;
    /** How often the C heap's free pages are handed back afterwards. */
    private static final long TRIM_EVERY_MILLIS = 30_000;

    private IdleMemory() {
    }

    /**
     * Releases a few seconds after start, on a thread of its own: the full collection stops every thread for
     * ~0.1 s, and right after start it landed on the first requests (the first health check among them). Then
     * trims the C heap every 30 s: the JIT keeps compiling while idle and leaves freed memory resident. The
     * runtime interrupts the returned thread when it stops.
     */
    static Thread releaseSoon() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(AFTER_START_MILLIS);
                release();
                while (true) {
                    Thread.sleep(TRIM_EVERY_MILLIS);
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

    static void release() {
        HotSpotDiagnosticMXBean hotspot = null;
        boolean ours = false;
        try {
            hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // Min first: Max may never be below Min
            setIfDefault(hotspot, "MinHeapFreeRatio", "10");
            ours = setIfDefault(hotspot, "MaxHeapFreeRatio", "30");
            setIfDefault(hotspot, "G1PeriodicGCInterval", "60000");
            // ... but not while the machine is busy (load average at or above its cores): a concurrent cycle
            // then only takes CPU from the work (bench/media: ffmpeg beside an instance just started)
            setIfDefault(hotspot, "G1PeriodicGCSystemLoadThreshold",
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
            if (ours) {
                // the collection after start keeps only 15% free (~10 MB less resident while idle); the 30% after
                // it is for the collections under load, so a busy heap is not shrunk between bursts
                hotspot.setVMOption("MaxHeapFreeRatio", "15");
            }
        } catch (RuntimeException e) {
            LOG.debug("heap tuning not available on this JVM: {}", e.toString());
        }
        System.gc();
        if (ours) {
            try {
                hotspot.setVMOption("MaxHeapFreeRatio", "30");
            } catch (RuntimeException e) {
                LOG.debug("heap tuning not available on this JVM: {}", e.toString());
            }
        }
        trimNativeHeap();
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
