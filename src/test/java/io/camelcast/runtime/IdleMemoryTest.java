package io.camelcast.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How much free heap G1 keeps, by how busy the instance was over the last period. */
class IdleMemoryTest {

    @Test
    void anIdleInstanceGivesMoreOfItsHeapBack() {
        // an idle instance polling its queues used ~0.1 of a core on the reference machine
        assertEquals("15", IdleMemory.maxHeapFreeRatio(0.0));
        assertEquals("15", IdleMemory.maxHeapFreeRatio(0.1));
    }

    @Test
    void aBusyInstanceKeepsRoomSoItsHeapIsNotShrunkBetweenBursts() {
        assertEquals("30", IdleMemory.maxHeapFreeRatio(0.25));
        assertEquals("30", IdleMemory.maxHeapFreeRatio(1.8));
    }
}
