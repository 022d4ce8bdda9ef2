package io.palisade.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A running gateway turns Netty's leak detector off, unless the operator named a level. */
class LeakDetectionTest {

    private static final String[] NAMES = {"io.netty.leakDetection.level", "io.netty.leakDetectionLevel"};
    private final String[] saved = new String[NAMES.length];
    private ResourceLeakDetector.Level savedLevel;

    @BeforeEach
    void save() {
        for (int i = 0; i < NAMES.length; i++) {
            saved[i] = System.clearProperty(NAMES[i]);
        }
        savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterEach
    void restore() {
        for (int i = 0; i < NAMES.length; i++) {
            if (saved[i] == null) {
                System.clearProperty(NAMES[i]);
            } else {
                System.setProperty(NAMES[i], saved[i]);
            }
        }
        ResourceLeakDetector.setLevel(savedLevel); // the other tests of this JVM run at the paranoid level
    }

    @Test
    void offWhenNoLevelWasGiven() {
        LeakDetection.offUnlessAsked();
        assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());
    }

    @Test
    void keptWhenEitherPropertyNamesALevel() {
        for (String name : NAMES) {
            System.setProperty(name, "simple");
            LeakDetection.offUnlessAsked();
            assertEquals(ResourceLeakDetector.Level.SIMPLE, ResourceLeakDetector.getLevel(), name);
            System.clearProperty(name);
        }
    }
}
