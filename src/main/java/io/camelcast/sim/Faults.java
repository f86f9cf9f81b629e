package io.camelcast.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults a test asked a simulator to inject: answer {@code status} (with optional
 * {@code Retry-After}), wait {@code delayMs} first, or drop the connection ({@code mode=close}),
 * for the next {@code count} requests whose path starts with {@code path} (all paths when absent)
 * and whose method is {@code method} (any when absent). {@code count} 0 or less means until cleared.
 */
public final class Faults {

    /**
     * {@code after}: let this many matching requests through first (a harvest fails on its fourth page, an
     * upload half way); 0 applies at once.
     */
    public record Fault(int status, int count, long delayMs, String path, String method, String retryAfter, String mode, int after) {
        public Fault(int status, int count, long delayMs, String path, String method, String retryAfter, String mode) {
            this(status, count, delayMs, path, method, retryAfter, mode, 0);
        }
    }

    private final List<Integer> passed = new ArrayList<>();

    private final List<Fault> active = new ArrayList<>();
    private final List<Integer> remaining = new ArrayList<>();

    public synchronized void add(Fault fault) {
        active.add(fault);
        remaining.add(fault.count() <= 0 ? Integer.MAX_VALUE : fault.count());
        passed.add(0);
    }

    public synchronized void clear() {
        active.clear();
        remaining.clear();
        passed.clear();
    }

    public synchronized List<Fault> list() {
        return List.copyOf(active);
    }

    /** The fault that applies to this request, consuming one of its count; null when none. */
    synchronized Fault take(String method, String path) {
        Iterator<Fault> it = active.iterator();
        int i = 0;
        while (it.hasNext()) {
            Fault f = it.next();
            boolean pathMatches = f.path() == null || path.startsWith(f.path());
            boolean methodMatches = f.method() == null || f.method().equalsIgnoreCase(method);
            if (pathMatches && methodMatches && passed.get(i) < f.after()) {
                passed.set(i, passed.get(i) + 1);
                return null;
            }
            if (pathMatches && methodMatches) {
                int left = remaining.get(i) - 1;
                if (left <= 0) {
                    it.remove();
                    remaining.remove(i);
                    passed.remove(i);
                } else {
                    remaining.set(i, left);
                }
                return f;
            }
            i++;
        }
        return null;
    }
}
